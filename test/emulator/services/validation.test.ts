import { describe, expect, it } from 'vitest';
import { checkInteger, checkString, validationMessage } from '../../../src/emulator/services/validation.js';

describe('checkString', () => {
  it('matches the whole value against the pattern, not a part of it', () => {
    expect(checkString('a@b.com', 'email', { pattern: /[^\s@]+@[^\s@]+\.[^\s@]+/ })).toBeUndefined();
    expect(checkString('x y@b.com', 'email', { pattern: /[^\s@]+@[^\s@]+\.[^\s@]+/ })?.kind).toBe('pattern');
  });

  it('counts length in code points, as the models do', () => {
    expect(checkString('🚗🚗', 'name', { maxLength: 2 })).toBeUndefined();
  });

  it('passes an absent optional member and flags an absent required one', () => {
    expect(checkString(undefined, 'name', {})).toBeUndefined();
    expect(checkString(undefined, 'name', { required: true })?.message).toBe(
      "Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('redacts sensitive values', () => {
    expect(checkString('me@example', 'email', { minLength: 20, sensitive: true })?.message).toBe(
      "Value '*** Sensitive Data Redacted ***' at 'email' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
  });
});

describe('checkInteger', () => {
  it('reads awsQuery decimal strings as numbers', () => {
    expect(checkInteger('3600', 'durationSeconds', { min: 900 })).toBeUndefined();
    expect(checkInteger('60', 'durationSeconds', { min: 900 })?.kind).toBe('minValue');
    expect(checkInteger('1.5', 'durationSeconds', {})?.kind).toBe('type');
  });
});

describe('validationMessage', () => {
  it('counts the violations and joins them as AWS does', () => {
    const found = [checkString('a', 'x', { minLength: 2 })!, checkInteger(0, 'y', { min: 1 })!];
    expect(validationMessage(found)).toBe(
      "2 validation errors detected: Value 'a' at 'x' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value '0' at 'y' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});
