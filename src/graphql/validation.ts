// Runs the class-validator rules declared on input classes, and reports every broken rule at once as one
// BAD_USER_INPUT error: `extensions.field` names the first field at fault (input.email, input.tags.3.key),
// `extensions.fields` all of them — never echoing a value, which may be an email.
import { validate, type ValidationError } from 'class-validator';
import { badUserInput } from './errors.js';

export async function validateInput(argValue: unknown): Promise<void> {
  if (argValue === null || typeof argValue !== 'object' || Array.isArray(argValue)) return;
  const errors = await validate(argValue, { forbidUnknownValues: false });
  const violations = violationsOf(errors, 'input');
  const [first] = violations;
  if (!first) return;
  const error = badUserInput(violations.map((violation) => `${violation.path} ${violation.message}.`).join(' '), first.path);
  error.extensions.fields = violations.map((violation) => violation.path);
  throw error;
}

/** Every broken rule, depth first, one per field (its first rule: the others usually say the same thing again). */
function violationsOf(errors: readonly ValidationError[], prefix: string): { path: string; message: string }[] {
  return errors.flatMap((error) => {
    const path = `${prefix}.${error.property}`;
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    return message ? [{ path, message }] : violationsOf(error.children ?? [], path);
  });
}
