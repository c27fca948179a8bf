// The checks every operation passes before it runs, the same on both transports: who is calling (auth.ts), how often
// (the per-client rate limit), which document (trusted documents), how big (token, depth, alias, directive and cost
// limits) and whether their role may run that kind of operation. On HTTP the first three run before Apollo (plain
// node:http functions, used by the POST fast path and, as express middleware, by the express route) and the role
// check is an Apollo plugin; on graphql-ws they are the onConnect and onSubscribe hooks. All of it happens before
// any AWS call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { ConnectionInitMessage, Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { ANONYMOUS_OPERATOR, mayRun, type Authenticator, type Principal } from './auth.js';
import { ErrorCode } from '../graphql/errors.js';
import { SUBSCRIPTION_OVER_HTTP_MESSAGE, type ErrorExit } from './error-exit.js';
import { clientAddressReader, clientKey, parseOptions, validationRules, WS_MAX_SUBSCRIPTIONS_PER_SOCKET, type ClientRateLimit, type DocumentLimits, type TrustProxy } from './limits.js';
import { checkVariables } from './variable-check.js';
import { resolveOperation, trustedDocumentsMiddleware, type NodeMiddleware, type TrustedDocuments } from './trusted-documents.js';

/** What we keep per socket beside graphql-ws's own state: once authenticated, who it is. */
export type SocketState = { principal: Principal };
type ConnectionParams = ConnectionInitMessage['payload'];
/** graphql-ws's per-socket extra on ws (the socket and its upgrade request), with our state. */
type SocketExtra = Extra & Partial<SocketState>;

export interface OperationGuardOptions {
  readonly schema: GraphQLSchema;
  readonly limits: DocumentLimits;
  readonly introspection: boolean;
  /** Production hides "Did you mean" suggestions, which describe the schema, and never quotes an input value. */
  readonly production: boolean;
  /** Where refusals are answered. */
  readonly exit: ErrorExit;
  /** Whose X-Forwarded-For names the client for the rate limit (express's `trust proxy`). @default false */
  readonly trustProxy?: TrustProxy;
  readonly authenticator: Authenticator;
  readonly rateLimit: ClientRateLimit;
  /** When set, only these documents run. */
  readonly trustedDocuments?: TrustedDocuments;
}

export interface OperationGuard {
  /**
   * Authenticates an HTTP request, counts it against its client's rate limit (by principal, else by address) and
   * resolves who it is from. A request refused by either (429 first: a client without valid credentials spends its
   * address's budget too; then 401 or 403 with a WWW-Authenticate challenge) has been answered, and resolves undefined.
   */
  admitHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined>;
  /** Middleware after the body parser: trusted documents (none without them). Plain node:http, usable by express. */
  readonly httpDocuments: NodeMiddleware[];
  /** Apollo options that carry the same document limits. */
  readonly apollo: {
    readonly parseOptions: ReturnType<typeof parseOptions>;
    readonly validationRules: ReturnType<typeof validationRules>;
    readonly plugin: ApolloServerPlugin<{ principal: Principal }>;
  };
  /** graphql-ws hooks. */
  readonly ws: Required<Pick<ServerOptions<ConnectionParams, SocketExtra>, 'onConnect' | 'onSubscribe'>>;
}

export function createOperationGuard(options: OperationGuardOptions): OperationGuard {
  const { limits, authenticator, rateLimit, trustedDocuments, exit, production } = options;
  const clientAddress = clientAddressReader(options.trustProxy ?? false);
  const rules = [...specifiedRules, ...validationRules(limits, { introspection: options.introspection })];

  async function admitHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
    const result = await authenticator.authenticate(req.headers.authorization);
    if (!(await rateLimit.take(clientKey(result.ok ? result.principal : undefined, clientAddress(req)), res))) {
      exit.refuse(req, res, 429, [rateLimited()]);
      return undefined;
    }
    if (result.ok) return result.principal;
    res.setHeader('WWW-Authenticate', result.challenge);
    exit.refuse(req, res, result.status, [new GraphQLError(result.message, { extensions: { code: result.code } })]);
    return undefined;
  }

  return {
    admitHttpRequest,
    httpDocuments: trustedDocuments
      ? [trustedDocumentsMiddleware(trustedDocuments, (req, res, error) => exit.refuse(req, res, 400, [error]))]
      : [],
    apollo: {
      parseOptions: parseOptions(limits),
      validationRules: validationRules(limits, { introspection: options.introspection }),
      plugin: {
        async requestDidStart() {
          return {
            // The operation type is known once the document is parsed and validated, and nothing has run yet.
            async didResolveOperation({ operation, contextValue }) {
              if (operation?.operation === 'subscription') throw subscriptionOverHttp();
              if (operation && !mayRun(contextValue.principal.role, operation.operation)) throw forbidden(operation.operation);
            },
            // Every invalid variable at once, none echoed; Apollo would otherwise run graphql-js's coercion.
            async responseForOperation({ operation, request, schema: operationSchema }) {
              // Apollo's types say an operation is resolved here; without one (an unknown operationName) it is not,
              // and execution answers that itself.
              if (!(operation as typeof operation | undefined)) return null;
              const errors = checkVariables(operationSchema, operation, request.variables, { production });
              return errors.length > 0 ? refusedVariables(errors, exit) : null;
            },
          };
        },
      },
    },
    ws: socketHooks(options, clientAddress, rules),
  };
}

/**
 * graphql-ws's hooks: onConnect authenticates the socket once; onSubscribe runs, for each operation, the same checks
 * as HTTP — the per-socket operation cap, the rate limit, trusted documents, the document limits, the role and the
 * variables — and hands graphql-ws the parsed document.
 */
function socketHooks(
  options: OperationGuardOptions,
  clientAddress: ReturnType<typeof clientAddressReader>,
  rules: ReturnType<typeof validationRules>,
): OperationGuard['ws'] {
  const { schema, limits, authenticator, rateLimit, trustedDocuments, production } = options;
  return {
    async onConnect(ctx) {
      const params: Readonly<Record<string, unknown>> = ctx.connectionParams ?? {};
      const authorization = params.authorization ?? params.Authorization ?? ctx.extra.request.headers.authorization;
      const result = await authenticator.authenticate(authorization);
      if (!result.ok) return false; // graphql-ws closes with 4403 Forbidden
      ctx.extra.principal = result.principal;
      return true;
    },
    async onSubscribe(ctx, _id, payload) {
      const principal = ctx.extra.principal ?? ANONYMOUS_OPERATOR;
      // graphql-ws registers the id before this hook, so the count includes this operation.
      if (Object.keys(ctx.subscriptions).length > WS_MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return [
          new GraphQLError(`At most ${WS_MAX_SUBSCRIPTIONS_PER_SOCKET} operations may run on one socket; complete some first.`, {
            extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS },
          }),
        ];
      }
      if (!(await rateLimit.consume(clientKey(principal, clientAddress(ctx.extra.request))))) {
        return [rateLimited()];
      }
      const source = documentOf(payload, trustedDocuments);
      if (source instanceof GraphQLError) return [source];
      let document: DocumentNode;
      try {
        document = parse(source, parseOptions(limits));
      } catch (error) {
        const message = error instanceof GraphQLError ? error.message : 'The document could not be parsed.';
        return [new GraphQLError(message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
      }
      // graphql-js's own switch drops "Did you mean" in production (Apollo's validationOptions carry the same).
      const errors = validate(schema, document, rules, { hideSuggestions: production });
      if (errors.length > 0) return errors.map(asValidationError);
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new GraphQLError('Unable to identify the operation to run: name it with operationName.', { extensions: { code: ErrorCode.BAD_REQUEST } })];
      if (!mayRun(principal.role, operation.operation)) return [forbidden(operation.operation)];
      const invalid = checkVariables(schema, operation, payload.variables ?? undefined, { production });
      if (invalid.length > 0) return invalid;
      return {
        schema,
        document,
        ...(payload.operationName ? { operationName: payload.operationName } : {}),
        ...(payload.variables ? { variableValues: payload.variables } : {}),
      };
    },
  };
}

/** A socket's operation source: its query, or the trusted document its id names. */
function documentOf(payload: SubscribePayload & { documentId?: unknown }, trusted: TrustedDocuments | undefined): string | GraphQLError {
  if (!trusted) return payload.query;
  // graphql-ws requires `query` to be a string; a client sending only an id sends it empty.
  return resolveOperation(trusted, { ...payload, query: payload.query === '' ? undefined : payload.query });
}

function forbidden(operation: string): GraphQLError {
  return new GraphQLError(`Your role may not run a ${operation}; an operator role is needed.`, {
    extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
  });
}

/**
 * A subscription is a stream, which a GraphQL-over-HTTP answer is not: refused before anything runs (README, "Which
 * operation over which transport").
 */
function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError(SUBSCRIPTION_OVER_HTTP_MESSAGE, { extensions: { code: ErrorCode.TRANSPORT_NOT_SUPPORTED, http: { status: 400 } } });
}

export function rateLimited(): GraphQLError {
  return new GraphQLError('Too many requests: the per-minute budget of this client is spent; try again later.', {
    extensions: { code: ErrorCode.RATE_LIMITED },
  });
}

/** graphql-ws sends validation errors as they are; on HTTP Apollo files them under GRAPHQL_VALIDATION_FAILED. */
function asValidationError(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, originalError: error, extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED } });
}

/** The variables' errors as Apollo's answer (400), formatted by the exit like every other error. */
function refusedVariables(errors: readonly GraphQLError[], exit: ErrorExit): GraphQLResponse {
  return {
    http: { status: 400, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: { errors: errors.map((error) => exit.format(error.toJSON(), error)) } },
  };
}

/** Makes the context of a graphql-ws operation carry its socket's principal, as HTTP contexts do. */
export function principalOfSocket(ctx: Context<ConnectionParams, SocketExtra>): Principal {
  return ctx.extra.principal ?? ANONYMOUS_OPERATOR;
}
