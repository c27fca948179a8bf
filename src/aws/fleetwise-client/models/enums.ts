// Enum-like constants of the IoT FleetWise model, as the generated clients export them: a const object plus a
// union type of its values. Values AWS adds later still arrive as plain strings; nothing here rejects them.

/** The state of an account's, IAM role's or Timestream table's registration. */
export const RegistrationStatus = {
  REGISTRATION_FAILURE: 'REGISTRATION_FAILURE',
  REGISTRATION_PENDING: 'REGISTRATION_PENDING',
  REGISTRATION_SUCCESS: 'REGISTRATION_SUCCESS',
} as const;
export type RegistrationStatus = (typeof RegistrationStatus)[keyof typeof RegistrationStatus];

/** Why a ValidationException was raised. */
export const ValidationExceptionReason = {
  CANNOT_PARSE: 'cannotParse',
  FIELD_VALIDATION_FAILED: 'fieldValidationFailed',
  OTHER: 'other',
  UNKNOWN_OPERATION: 'unknownOperation',
} as const;
export type ValidationExceptionReason = (typeof ValidationExceptionReason)[keyof typeof ValidationExceptionReason];
