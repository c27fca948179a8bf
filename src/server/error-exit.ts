// The one way out for errors, HTTP and WebSocket alike: what a client is shown of an error (its code from one
// vocabulary, graphql/errors.ts ErrorCode; internal messages and stack traces masked in production; every message
// bounded in size), which errors are logged (ours — an error without a code, or INTERNAL_SERVER_ERROR — once, at error
// level; a client's mistake never), and how a request refused before GraphQL runs is answered. Apollo's formatError,
// the graphql-ws results, the POST fast path and the express route all end here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../graphql/errors.js';
import { literalValueError } from './literal-errors.js';
import type { Logger } from './logger.js';

/** Longest message a client is sent; the rest is cut (an error must never carry a large input back). @default 1_000 characters */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;
/** Lines of a stack trace shown outside production (internal errors only). @default 20 */
const MAX_STACK_LINES = 20;
/** Why a subscription is refused over HTTP, and where to send it. */
export const SUBSCRIPTION_OVER_HTTP_MESSAGE =
  'Subscriptions are not served over HTTP: open a WebSocket to this same path with the graphql-transport-ws protocol (graphql-ws) and subscribe there.';
const APOLLO_SUBSCRIPTION_OVER_GET = 'GET requests only support query operations, not subscription operations';
/** What a production client reads instead of an internal error's message. */
const INTERNAL_MESSAGE = 'Internal server error.';

export interface ErrorExitOptions {
  /** Production masks internal errors and sends no stack traces. */
  readonly production: boolean;
  readonly logger: Logger;
  /** The parser's token limit, to name it when a document runs past it. */
  readonly maxTokens: number;
  /** How the request-body limit reads in a 413's message, e.g. '256kb'. */
  readonly maxBody: string;
  /** The schema, to tell which input fields are sensitive (an error about their literal never quotes it). */
  readonly schema: GraphQLSchema;
  /** Shown every error as a client receives it (tests fail on an untyped one). */
  readonly onClientError?: (error: GraphQLFormattedError) => void;
}

export interface ErrorExit {
  /** What a client sees of one error: Apollo's formatError, and every other path through formatErrors and refuse. */
  format(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError;
  /** A transport's own errors (graphql-ws results and refusals): ours logged once, all formatted. */
  formatErrors(errors: readonly GraphQLError[], requestId?: string): GraphQLFormattedError[];
  /** Logs the errors among `errors` that are ours (Apollo's didEncounterErrors), once each, with their cause. */
  logInternal(errors: readonly GraphQLError[], requestId?: string): void;
  /**
   * Answers a request refused before GraphQL ran (authentication, rate limit, trusted documents, body) with `status`,
   * as a GraphQL response in the media type the client asked for (GraphQL over HTTP).
   */
  refuse(req: IncomingMessage, res: ServerResponse, status: number, errors: readonly GraphQLError[]): void;
  /**
   * An error thrown by a step of the HTTP pipeline: a client error of the body parser (4xx) is answered as such;
   * anything else is ours, logged, and answered 500 without detail.
   */
  requestFailed(error: unknown, req: IncomingMessage, res: ServerResponse): void;
}

export function createErrorExit(options: ErrorExitOptions): ErrorExit {
  const { production, logger } = options;
  const tokenLimitMessage = `Syntax Error: Document contains more that ${options.maxTokens} tokens. Parsing aborted.`;

  const onClientError = options.onClientError ?? (() => undefined);

  function format(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
    const sent = formatForClient(formatted, error);
    onClientError(sent);
    return sent;
  }

  function formatForClient(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
    let code = formatted.extensions?.code as string | undefined;
    // Our scalars report bad ids as BAD_USER_INPUT, but Apollo files every validation error under
    // GRAPHQL_VALIDATION_FAILED; the client should see the code it can act on.
    if (code !== ErrorCode.BAD_USER_INPUT && causedByBadUserInput(error)) code = ErrorCode.BAD_USER_INPUT;
    code ??= ErrorCode.INTERNAL_SERVER_ERROR;
    const internal = code === ErrorCode.INTERNAL_SERVER_ERROR;
    if (production && internal) {
      return { message: INTERNAL_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    // graphql-js's token limit is a parse error with a typo; it is a limit of this server. Apollo refuses a
    // subscription over GET (405) before our plugin sees it, with a message that does not say where to go instead.
    let message = bounded(formatted.message);
    if (formatted.message === tokenLimitMessage) message = `The document is longer than this server's limit of ${options.maxTokens} tokens.`;
    else if (formatted.message === APOLLO_SUBSCRIPTION_OVER_GET) {
      message = SUBSCRIPTION_OVER_HTTP_MESSAGE;
      code = ErrorCode.TRANSPORT_NOT_SUPPORTED;
    }
    // `http` is Apollo's instruction to the transport, not for the client; a stack trace helps a developer with our
    // own bugs, and on a refusal or a bad input only buries the answer.
    const { http: _http, stacktrace, ...extensions } = formatted.extensions ?? {};
    const stack = internal && !production && Array.isArray(stacktrace) ? { stacktrace: stacktrace.slice(0, MAX_STACK_LINES) } : {};
    // An error about a literal written in the document never repeats it in production, nor in any mode when the
    // literal is a sensitive field's (an email, an account name): literal-errors.ts.
    const aboutLiteral = literalValueError(error, options.schema);
    const literal = production || aboutLiteral?.sensitive ? aboutLiteral : undefined;
    const field = literal?.field === undefined ? {} : { field: literal.field };
    return { ...formatted, message: literal?.message ?? message, extensions: { ...extensions, ...field, code, ...stack } };
  }

  const logInternal = (errors: readonly GraphQLError[], requestId?: string) => logInternalErrors(logger, errors, requestId);

  function refuse(req: IncomingMessage, res: ServerResponse, status: number, errors: readonly GraphQLError[]): void {
    const type = acceptsOneOf.call(req, ERROR_MEDIA_TYPES) || 'application/json';
    const body = JSON.stringify({ errors: errors.map((error) => format({ message: error.message, extensions: { code: error.extensions.code } })) });
    res.statusCode = status;
    res.setHeader('Content-Type', `${type}; charset=utf-8`);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  }

  return {
    format,
    formatErrors(errors, requestId) {
      logInternal(errors, requestId);
      return errors.map((error) => format(error.toJSON(), error));
    },
    logInternal,
    refuse,
    requestFailed(error, req, res) {
      const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : NaN;
      if (!res.headersSent && status >= 400 && status < 500) {
        const message = status === 413 ? `The request body is larger than ${options.maxBody}.` : 'The request body could not be read as JSON.';
        refuse(req, res, status, [new GraphQLError(message, { extensions: { code: ErrorCode.BAD_REQUEST } })]);
        return;
      }
      logger.error({ err: describeError(error) }, 'internal error');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      refuse(req, res, 500, [new GraphQLError(INTERNAL_MESSAGE, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } })]);
    },
  };
}

/** Logs the errors that are ours (no code, or INTERNAL_SERVER_ERROR), once each, with their cause. */
function logInternalErrors(logger: Logger, errors: readonly GraphQLError[], requestId?: string): void {
  for (const error of errors) {
    const code = error.extensions?.code;
    if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) continue;
    logger.error({ requestId, path: error.path, err: describeError(rootCause(error)) }, 'internal error');
  }
}

function bounded(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}

/** How graphql-js words an argument value it refuses while executing (graphql/execution/values.js). */
const ARGUMENT_REFUSAL = /^Argument "[^"]+" (of (non-null|required) type|has invalid value)/;

/** Whether a GraphQLError in the error's originalError chain carries BAD_USER_INPUT (our scalars' parse errors do). */
function causedByBadUserInput(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof GraphQLError && current.extensions?.code === ErrorCode.BAD_USER_INPUT) return true;
    // graphql-js's own refusal of an argument value met during execution (a null variable for a non-null argument
    // with a default), which it raises without a code.
    if (current instanceof GraphQLError && current.originalError === undefined && ARGUMENT_REFUSAL.test(current.message)) return true;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return false;
}

/** What a resolver threw, under the GraphQLErrors wrapped around it. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; current instanceof GraphQLError && current.originalError && depth < 5; depth++) current = current.originalError;
  return current;
}

/** An error for the log: its type, message and stack (never the input that caused it). */
function describeError(error: unknown): { type: string; message: string; stack?: string } | undefined {
  return error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : undefined;
}

/** express's req.accepts (the `accepts` package), which only reads the request's headers. */
const acceptsOneOf = express.request.accepts as (this: IncomingMessage, types: string[]) => string | false;
/** The media types a GraphQL error answer may take, preferred first (GraphQL over HTTP). */
const ERROR_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'];
