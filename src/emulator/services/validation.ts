// Input constraints of the service models (required, length, pattern, enum, range), checked the way AWS's request
// validation reports them: "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: …".
// Each service turns the violations into its own error shape (ValidationError, InvalidInputException…).
import { AwsServiceError } from '../core/types.js';

/** Which constraint a value broke; services map it to their own reason codes. */
export type ConstraintKind = 'required' | 'type' | 'minLength' | 'maxLength' | 'pattern' | 'enum' | 'minValue' | 'maxValue';

export interface Violation {
  /** Member path as AWS names it in messages, e.g. `roleSessionName`, `iamResources.roleArn`. */
  readonly path: string;
  readonly kind: ConstraintKind;
  /** `Value '…' at '<path>' failed to satisfy constraint: Member must …` */
  readonly message: string;
}

export interface StringRules {
  readonly required?: boolean;
  /** Length in Unicode code points, as the models count it. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Must match the whole value. */
  readonly pattern?: RegExp;
  /** The pattern as the model spells it, quoted in the message. Defaults to the RegExp source. */
  readonly patternText?: string;
  readonly oneOf?: readonly string[];
  /** AWS never echoes sensitive members (emails, account names) in an error message. */
  readonly sensitive?: boolean;
}

export interface IntegerRules {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

const REDACTED = '*** Sensitive Data Redacted ***';

/** Checks one string member; undefined when it is valid (or absent and optional). */
export function checkString(value: unknown, path: string, rules: StringRules): Violation | undefined {
  if (value === undefined || value === null) {
    return rules.required ? violation(path, 'required', 'null', 'Member must not be null') : undefined;
  }
  if (typeof value !== 'string') return violation(path, 'type', shown(value, rules.sensitive), 'Member must be a string');
  const display = shown(value, rules.sensitive);
  const length = [...value].length;
  if (rules.minLength !== undefined && length < rules.minLength) {
    return violation(path, 'minLength', display, `Member must have length greater than or equal to ${rules.minLength}`);
  }
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    return violation(path, 'maxLength', display, `Member must have length less than or equal to ${rules.maxLength}`);
  }
  if (rules.oneOf !== undefined && !rules.oneOf.includes(value)) {
    return violation(path, 'enum', display, `Member must satisfy enum value set: [${rules.oneOf.join(', ')}]`);
  }
  if (rules.pattern !== undefined && !matchesWhole(rules.pattern, value)) {
    const patternText = rules.patternText ?? rules.pattern.source;
    return violation(path, 'pattern', display, `Member must satisfy regular expression pattern: ${patternText}`);
  }
  return undefined;
}

/**
 * Checks one integer member. awsQuery delivers every scalar as a string, so a decimal string counts as its number;
 * `parseInteger` reads the value the same way once it is known to be valid.
 */
export function checkInteger(value: unknown, path: string, rules: IntegerRules): Violation | undefined {
  if (value === undefined || value === null) {
    return rules.required ? violation(path, 'required', 'null', 'Member must not be null') : undefined;
  }
  const number = parseInteger(value);
  if (number === undefined) return violation(path, 'type', `'${String(value)}'`, 'Member must be an integer');
  if (rules.min !== undefined && number < rules.min) {
    return violation(path, 'minValue', `'${number}'`, `Member must have value greater than or equal to ${rules.min}`);
  }
  if (rules.max !== undefined && number > rules.max) {
    return violation(path, 'maxValue', `'${number}'`, `Member must have value less than or equal to ${rules.max}`);
  }
  return undefined;
}

/** The integer a member holds (a number, or a decimal string from awsQuery), or undefined. */
export function parseInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** A boolean member (awsQuery sends `true`/`false` as text). Anything else is undefined. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** The message AWS's request validation gives for a set of violations. */
export function validationMessage(violations: readonly Violation[]): string {
  const count = violations.length;
  const heading = `${count} validation error${count === 1 ? '' : 's'} detected: `;
  return heading + violations.map((item) => item.message).join('; ');
}

/**
 * A member of the wrong JSON type (a number where a list belongs) never reaches a service on AWS: its request
 * front end rejects the body as unreadable.
 */
export function serializationError(message: string): AwsServiceError {
  return new AwsServiceError('SerializationException', message, 400);
}

/** Collects the violations of several checks, skipping the ones that passed. */
export function violations(...checks: readonly (Violation | undefined)[]): Violation[] {
  return checks.filter((check): check is Violation => check !== undefined);
}

function violation(path: string, kind: ConstraintKind, shownValue: string, constraint: string): Violation {
  return { path, kind, message: `Value ${shownValue} at '${path}' failed to satisfy constraint: ${constraint}` };
}

function shown(value: unknown, sensitive: boolean | undefined): string {
  if (sensitive) return `'${REDACTED}'`;
  return `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
}

/** AWS validates the whole member against the model's pattern, not a substring of it. */
function matchesWhole(pattern: RegExp, value: string): boolean {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, '')).test(value);
}
