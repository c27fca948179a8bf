// An operation's variables checked against their declared types before it runs, on HTTP and graphql-ws alike, so
// that every invalid value is reported at once and none is echoed. graphql-js's own coercion (which Apollo and
// graphql-ws run otherwise) starts each message with `Variable "$input" got invalid value {…}` — the whole input,
// email included, however large — and offers "Did you mean" suggestions. Here the same coercion (coerceInputValue,
// with graphql-js's hideSuggestions switch in production) reports each problem by where it is: `input.email`.
import {
  coerceInputValue,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  typeFromAST,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../graphql/errors.js';
import { isSensitiveField } from '../graphql/sensitive.js';

/** graphql-js stops at this many variable errors too. @default 50 */
const MAX_VARIABLE_ERRORS = 50;

export interface VariableCheckOptions {
  /** Production: no suggestions and no input value in any message. */
  readonly production: boolean;
}

/**
 * Every variable of `operation` that its declared type refuses, as BAD_USER_INPUT errors naming the variable's path
 * (`extensions.field`: `input.tags.3.key`). Empty when all are valid; types unknown to the schema are validation's
 * to report, not this check's.
 */
export function checkVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  options: VariableCheckOptions,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    if (errors.length >= MAX_VARIABLE_ERRORS) break;
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const provided = variables !== undefined && Object.hasOwn(variables, name);
    if (!provided) {
      if (isNonNullType(type) && !definition.defaultValue) {
        errors.push(invalid(`Variable "$${name}" of required type "${String(type)}" was not provided.`, name, definition));
      }
      continue;
    }
    coerceInputValue(
      variables[name],
      type,
      (path, _value, error) => {
        if (errors.length >= MAX_VARIABLE_ERRORS) return;
        const at = [name, ...path].join('.');
        errors.push(invalid(`Variable "$${name}" has an invalid value at "${at}": ${reason(type, path, error, options)}`, at, definition));
      },
      options.production,
    );
  }
  return errors;
}

/**
 * What was wrong, without the value: graphql-js's own reason when it describes shape only (a missing required field,
 * an unknown field, not an object); for a leaf (scalar, enum), whose reasons quote the value, the expected type —
 * plus our own scalars' reasons, which quote only short ids. Outside production graphql-js's leaf reasons stand,
 * except on a path through a field the schema marks sensitive.
 */
function reason(root: GraphQLInputType, path: readonly (string | number)[], error: GraphQLError, options: VariableCheckOptions): string {
  const { type, sensitive } = walk(root, path);
  if (!type || !isLeafType(type)) return error.message;
  const ours = error.extensions?.code === ErrorCode.BAD_USER_INPUT;
  if (sensitive || (options.production && !ours)) return `Expected a value of type "${type.name}".`;
  return error.message;
}

/** The named type at `path` inside `root`, and whether the path passes through a sensitive field. */
function walk(root: GraphQLInputType, path: readonly (string | number)[]): { type: GraphQLNamedInputType | undefined; sensitive: boolean } {
  let type: GraphQLInputType | undefined = root;
  let sensitive = false;
  for (const key of path) {
    if (typeof key === 'number') {
      const nullable: GraphQLInputType | undefined = type && isNonNullType(type) ? type.ofType : type;
      type = nullable && isListType(nullable) ? (nullable.ofType as GraphQLInputType) : nullable;
      continue;
    }
    // getNamedType also looks through a list: graphql-js takes a single value where a list is declared.
    const named: GraphQLNamedInputType | undefined = type && getNamedType(type);
    const field: GraphQLInputField | undefined = isInputObjectType(named) ? named.getFields()[key] : undefined;
    sensitive ||= isSensitiveField(field);
    type = field?.type;
  }
  return { type: type && getNamedType(type), sensitive };
}

function invalid(message: string, field: string, node: VariableDefinitionNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } } });
}
