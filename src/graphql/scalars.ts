// Custom scalars of the API: ids are checked where they enter, so a malformed one is BAD_USER_INPUT before any AWS call.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ErrorCode } from './errors.js';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const CREATE_ACCOUNT_REQUEST_ID_PATTERN = /^car-[a-z0-9]{8,32}$/;

/** A string scalar that accepts only values matching `pattern`, as input and as output. */
function patternScalar(name: string, description: string, pattern: RegExp, expected: string): GraphQLScalarType<string, string> {
  // A literal's error names its node: the error exit then knows it is about a literal, and words it without the
  // value in production (server/literal-errors.ts).
  const check = (value: unknown, node?: ValueNode): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new GraphQLError(`${name} must be ${expected}; got ${describe(value)}.`, {
        ...(node ? { nodes: node } : {}),
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => check(value),
    parseValue: (value) => check(value),
    parseLiteral(node: ValueNode) {
      if (node.kind !== Kind.STRING) {
        throw new GraphQLError(`${name} must be a string: ${expected}.`, {
          nodes: node,
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        });
      }
      return check(node.value, node);
    },
  });
}

/** Echoes short inputs so a user sees what was wrong, but never a long or structured payload. */
function describe(value: unknown): string {
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}

export const AccountIdScalar = patternScalar(
  'AccountId',
  'An AWS account id: exactly 12 digits, as a string (leading zeros matter).',
  ACCOUNT_ID_PATTERN,
  'exactly 12 digits',
);

export const CreateAccountRequestIdScalar = patternScalar(
  'CreateAccountRequestId',
  'The id of an Organizations CreateAccount request: "car-" followed by 8 to 32 lowercase letters or digits.',
  CREATE_ACCOUNT_REQUEST_ID_PATTERN,
  '"car-" followed by 8 to 32 lowercase letters or digits',
);

/**
 * ISO-8601 date-time (graphql-scalars' DateTime: serializes Date as an ISO string in UTC). Its input errors carry no
 * code, so graphql-js would report them as GRAPHQL_VALIDATION_FAILED; they are bad input like every other scalar's.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  parseValue: (value) => asBadInput(() => GraphQLDateTime.parseValue(value)),
  parseLiteral: (node: ValueNode, variables) => asBadInput(() => GraphQLDateTime.parseLiteral(node, variables), node),
});

function asBadInput<T>(parse: () => T, node?: ValueNode): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : 'DateTime must be an ISO-8601 date-time.';
    throw new GraphQLError(message, { ...(node ? { nodes: node } : {}), extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
}
