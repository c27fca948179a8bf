// Runs the class-validator rules declared on input classes, and reports the first broken rule as BAD_USER_INPUT
// naming the field (input.email, input.tags.3.key) — never echoing the value, which may be an email.
import { validate, type ValidationError } from 'class-validator';
import { badUserInput } from './errors.js';

export async function validateInput(argValue: unknown): Promise<void> {
  if (argValue === null || typeof argValue !== 'object' || Array.isArray(argValue)) return;
  const errors = await validate(argValue, { forbidUnknownValues: false });
  const first = firstViolation(errors, 'input');
  if (first) throw badUserInput(`${first.path} ${first.message}.`, first.path);
}

function firstViolation(errors: readonly ValidationError[], prefix: string): { path: string; message: string } | undefined {
  for (const error of errors) {
    const path = `${prefix}.${error.property}`;
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (message) return { path, message };
    const nested = firstViolation(error.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}
