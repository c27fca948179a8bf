// Error codes of the API — the one vocabulary, every transport and layer (public: clients switch on
// extensions.code) — and the mapping of domain failures onto them.
import { GraphQLError } from 'graphql';
import { type Cached, CursorExpiredError, HistoryUnavailableError, InvalidCursorError, isDeadlineExceeded, isUpstreamFailure, NotInOrganizationError } from '../status/index.js';

export const ErrorCode = {
  // A field's or an input's answer.
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  THROTTLED: 'THROTTLED',
  AWS_ACCESS_DENIED: 'AWS_ACCESS_DENIED',
  REGION_NOT_SUPPORTED: 'REGION_NOT_SUPPORTED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** An AWS call of the field had not settled within the query deadline; the rest of the response stands. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The operation's caller went away (closed the request, ended the subscription) before the field settled. */
  CANCELLED: 'CANCELLED',
  /** Status history's database cannot be reached now; live statuses are unaffected. */
  HISTORY_UNAVAILABLE: 'HISTORY_UNAVAILABLE',
  /** A cursor older than the history kept (STATUSGRAPH_HISTORY_RETENTION_DAYS): start again from the current state. */
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Who may ask, and how much.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** An operation type this transport does not carry: a subscription over HTTP (graphql-ws serves it). */
  TRANSPORT_NOT_SUPPORTED: 'TRANSPORT_NOT_SUPPORTED',
  // The request itself (Apollo Server's codes, the same strings).
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Input the API refuses before any AWS call; `field` names the argument or input field at fault. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
}

/** AWS error codes that mean the request itself was wrong, so the client can fix it. */
const INVALID_REQUEST_CODES = /^(ValidationException|InvalidInputException|InvalidParameterValueException|ConstraintViolationException|ConflictException|ConcurrentModificationException|DuplicateAccountException)$/;

/**
 * A GraphQL error for a failure of one field. AWS failures keep their service, operation and code (in
 * extensions.aws) but not AWS's message for server faults, which can carry internal detail.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof NotInOrganizationError) {
    return new GraphQLError(error.message, { extensions: { code: ErrorCode.NOT_FOUND, accountIds: [...error.accountIds] } });
  }
  if (error instanceof HistoryUnavailableError) return new GraphQLError(error.message, { extensions: { code: ErrorCode.HISTORY_UNAVAILABLE } });
  if (error instanceof CursorExpiredError) return new GraphQLError(error.message, { extensions: { code: ErrorCode.CURSOR_EXPIRED, field: 'after' } });
  if (error instanceof InvalidCursorError) return badUserInput(error.message, 'after');
  if (isUpstreamFailure(error)) {
    const aws = { service: error.service, operation: error.operation, code: error.code };
    if (isDeadlineExceeded(error)) {
      return new GraphQLError(`${error.service} ${error.operation}: ${error.message} The rest of the response stands; try again later.`, {
        extensions: { code: ErrorCode.DEADLINE_EXCEEDED, aws },
        originalError: error,
      });
    }
    const code: ErrorCode =
      error.code === 'RegionNotSupported'
        ? ErrorCode.REGION_NOT_SUPPORTED
        : error.throttled
          ? ErrorCode.THROTTLED
          : error.accessDenied
            ? ErrorCode.AWS_ACCESS_DENIED
            : error.retryable
              ? ErrorCode.UPSTREAM_UNAVAILABLE
              : INVALID_REQUEST_CODES.test(error.code)
                ? ErrorCode.BAD_USER_INPUT
                : ErrorCode.UPSTREAM_UNAVAILABLE;
    const message =
      code === ErrorCode.UPSTREAM_UNAVAILABLE
        ? `${error.service} ${error.operation} is unavailable (${error.code}); try again later.`
        : `${error.service} ${error.operation} failed: ${error.message}`;
    return new GraphQLError(message, { extensions: { code, aws }, originalError: error });
  }
  return new GraphQLError('Internal server error.', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    originalError: error instanceof Error ? error : undefined,
  });
}

/** Awaits a loader result, turning a failure into the field's GraphQL error. */
export async function orFieldError<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/**
 * A loader's failure as the field's GraphQL error, for `load(key).then(answer, rethrowAsFieldError)`: the hot field
 * resolvers chain one promise instead of awaiting through two async functions (each promise of a 100-account page
 * counts three hundred times).
 */
export function rethrowAsFieldError(error: unknown): never {
  throw toGraphQLError(error);
}

/**
 * Maps a reader's answer (status/status-reader.ts): at once when it is there (the warm path makes no promise), else
 * once the batch answers, a failure becoming the field's GraphQL error.
 */
export function mapAnswer<T, R>(answer: Cached<T> | Promise<Cached<T>>, map: (found: Cached<T>) => R): R | Promise<R> {
  return answer instanceof Promise ? answer.then(map, rethrowAsFieldError) : map(answer);
}
