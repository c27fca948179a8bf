// Which input fields hold sensitive values (an account's root email, its name): marked on the input class with
// `@Extensions(SENSITIVE)`, read back from the built schema, so the list is the schema's and nobody keeps a copy.
// Error messages about such a field name it and never show its value, in development too.
import type { GraphQLInputField } from 'graphql';

/** Field extensions of a sensitive input field (type-graphql's `@Extensions(SENSITIVE)`). */
export const SENSITIVE = { sensitive: true } as const;

export function isSensitiveField(field: GraphQLInputField | undefined): boolean {
  return field?.extensions?.sensitive === true;
}
