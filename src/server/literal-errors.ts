// Errors about a literal written in the document quote it back: graphql-js's ValuesOfCorrectTypeRule says `Int cannot
// represent non-integer value: "alice@example.com"`, our scalars `got "…"`. graphql-js has no switch for it (its
// hideSuggestions only drops "Did you mean"; Apollo's hideSchemaDetailsFromClientErrors is that switch), and an
// inline literal may be an email or an account name. So the error exit tells such an error anew in production, from
// the document's shape — which argument or input field, and where — never from the value. An error is about a literal
// when its first node is a value node; the field is found by walking the document to that node. Outside production
// the error is told anew only when the literal sits in a field the schema marks sensitive (graphql/sensitive.ts):
// an email or account name is never quoted back, in any mode.
import { getNamedType, GraphQLError, isInputObjectType, Kind, parse, TypeInfo, visit, visitWithTypeInfo, type ASTNode, type GraphQLSchema } from 'graphql';
import { isSensitiveField } from '../graphql/sensitive.js';

const LITERAL_KINDS: ReadonlySet<string> = new Set([Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT]);

/** What a client may be told of an error about a literal value: `sensitive` when the schema marks its field so. */
export interface LiteralValueError {
  readonly message: string;
  readonly field?: string;
  readonly sensitive: boolean;
}

/** What a client is told of an error about a literal value, or undefined for any other error. */
export function literalValueError(error: unknown, schema: GraphQLSchema): LiteralValueError | undefined {
  const graphqlError = graphqlErrorIn(error);
  const node = graphqlError?.nodes?.[0];
  if (!graphqlError || !node?.loc || !LITERAL_KINDS.has(node.kind)) return undefined;
  const { field, sensitive } = describeLiteral(schema, node.loc.source.body, node.loc.start, node.loc.end);
  const where = graphqlError.locations?.[0];
  const at = where ? ` (line ${where.line}, column ${where.column})` : '';
  return {
    message: `The value written for ${field === undefined ? 'an argument' : `"${field}"`}${at} is not valid there: check its type and format (the value is not repeated here).`,
    ...(field === undefined ? {} : { field }),
    sensitive,
  };
}

/** The GraphQLError in `error`'s originalError chain that names nodes (Apollo may wrap graphql-js's own). */
function graphqlErrorIn(error: unknown): GraphQLError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof GraphQLError && depth < 5; depth++) {
    if (current.nodes?.length) return current;
    current = current.originalError;
  }
  return undefined;
}

/**
 * The argument and input fields leading to the literal at [start, end) of the document, as `input.email`, and whether
 * it sits in (or is) an input field the schema marks sensitive. A document that does not parse names no field, and
 * counts as sensitive: nothing is known of where its literal sits.
 */
function describeLiteral(schema: GraphQLSchema, document: string, start: number, end: number): { field?: string; sensitive: boolean } {
  let field: string | undefined;
  let sensitive = false;
  // Whether each input field entered on the way down is sensitive (a literal below one is, too).
  const sensitiveFields: boolean[] = [];
  const typeInfo = new TypeInfo(schema);
  try {
    visit(
      parse(document),
      visitWithTypeInfo(typeInfo, {
        enter(node, _key, parent, _path, ancestors) {
          if (field !== undefined || sensitive) return false;
          if (node.kind === Kind.OBJECT_FIELD) {
            const objectType = getNamedType(typeInfo.getParentInputType());
            const definition = isInputObjectType(objectType) ? objectType.getFields()[node.name.value] : undefined;
            sensitiveFields.push(isSensitiveField(definition));
          }
          if (!LITERAL_KINDS.has(node.kind) || node.loc?.start !== start || node.loc.end !== end) return undefined;
          sensitive = sensitiveFields.includes(true);
          // graphql-js's ancestors stop short of the parent.
          const names = [...ancestors, parent, node].flatMap((each) => (each === undefined ? [] : nameOf(each as ASTNode | readonly ASTNode[])));
          field = names.length > 0 ? names.join('.') : undefined;
          return false;
        },
        leave(node) {
          if (node.kind === Kind.OBJECT_FIELD) sensitiveFields.pop();
        },
      }),
    );
  } catch {
    return { sensitive: true };
  }
  return field === undefined ? { sensitive } : { field, sensitive };
}

function nameOf(node: ASTNode | readonly ASTNode[]): string[] {
  if (Array.isArray(node) || !('kind' in node)) return [];
  return node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD ? [node.name.value] : [];
}
