// The checks every operation passes before it runs, the same on both transports: who is calling (auth.ts), how often
// (the per-client rate limit), which document (trusted documents), how big (token, depth, alias, directive and cost
// limits) and whether their role may run that kind of operation. On HTTP they are express middleware plus an Apollo
// plugin; on graphql-ws they are the onConnect and onSubscribe hooks. All of it happens before any AWS call.
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
import { ANONYMOUS_OPERATOR, mayRun, type Authenticator, type AuthFailure, type Principal } from './auth.js';
import {
  clientKey,
  LimitErrorCode,
  parseOptions,
  validationRules,
  withoutSuggestions,
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
  type ClientRateLimit,
  type DocumentLimits,
} from './limits.js';
import { resolveOperation, trustedDocumentsMiddleware, type TrustedDocuments } from './trusted-documents.js';

/** What we keep per socket beside graphql-ws's own state: once authenticated, who it is. */
export type SocketState = { principal: Principal };
type ConnectionParams = ConnectionInitMessage['payload'];
/** graphql-ws's per-socket extra on ws (the socket and its upgrade request), with our state. */
type SocketExtra = Extra & Partial<SocketState>;

/** The authenticated caller of an HTTP request, as the middleware left it for the context function. */
export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS_OPERATOR;
}

export interface OperationGuardOptions {
  readonly schema: GraphQLSchema;
  readonly limits: DocumentLimits;
  readonly introspection: boolean;
  /** Production hides "Did you mean" suggestions, which describe the schema. */
  readonly production: boolean;
  readonly authenticator: Authenticator;
  readonly rateLimit: ClientRateLimit;
  /** When set, only these documents run. */
  readonly trustedDocuments?: TrustedDocuments;
}

export interface OperationGuard {
  /** express middleware for the GraphQL path, in order: authenticate, rate-limit, require a principal. */
  readonly httpAuthentication: RequestHandler[];
  /** express middleware after the body parser: trusted documents (a no-op without them). */
  readonly httpDocuments: RequestHandler[];
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
  const { schema, limits, authenticator, rateLimit, trustedDocuments } = options;
  const rules = [...specifiedRules, ...validationRules(limits, { introspection: options.introspection })];

  const authenticate: RequestHandler = async (req, res, next) => {
    const result = await authenticator.authenticate(req.headers.authorization);
    if (result.ok) res.locals.principal = result.principal;
    else res.locals.authFailure = result;
    next();
  };
  const requirePrincipal = (req: Request, res: Response, next: NextFunction) => {
    const failure = res.locals.authFailure as AuthFailure | undefined;
    if (failure === undefined) return next();
    res.setHeader('WWW-Authenticate', failure.challenge);
    sendGraphQLErrors(req, res, failure.status, [new GraphQLError(failure.message, { extensions: { code: failure.code } })]);
  };

  return {
    httpAuthentication: [authenticate, rateLimit.middleware, requirePrincipal],
    httpDocuments: trustedDocuments
      ? [trustedDocumentsMiddleware(trustedDocuments, (res, error) => sendGraphQLErrors(res.req, res, 400, [error]))]
      : [],
    apollo: {
      parseOptions: parseOptions(limits),
      validationRules: validationRules(limits, { introspection: options.introspection }),
      plugin: {
        async requestDidStart() {
          return {
            // The operation type is known once the document is parsed and validated, and nothing has run yet.
            async didResolveOperation({ operation, contextValue }) {
              if (operation && !mayRun(contextValue.principal.role, operation.operation)) throw forbidden(operation.operation);
            },
          };
        },
      },
    },
    ws: {
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
              extensions: { code: LimitErrorCode.TOO_MANY_SUBSCRIPTIONS },
            }),
          ];
        }
        if (!(await rateLimit.consume(clientKey(principal, ctx.extra.request.socket.remoteAddress)))) {
          return [rateLimited()];
        }
        const source = documentOf(payload, trustedDocuments);
        if (source instanceof GraphQLError) return [source];
        let document: DocumentNode;
        try {
          document = parse(source, parseOptions(limits));
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.')];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return options.production ? withoutSuggestions(errors) : [...errors];
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Unable to identify the operation to run: name it with operationName.')];
        if (!mayRun(principal.role, operation.operation)) return [forbidden(operation.operation)];
        return {
          schema,
          document,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          ...(payload.variables ? { variableValues: payload.variables } : {}),
        };
      },
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
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}

export function rateLimited(): GraphQLError {
  return new GraphQLError('Too many requests: the per-minute budget of this client is spent; try again later.', {
    extensions: { code: LimitErrorCode.RATE_LIMITED },
  });
}

/**
 * A request error in the shape of a GraphQL response, in the media type the client asked for (GraphQL over HTTP:
 * application/graphql-response+json when accepted, else application/json).
 */
export function sendGraphQLErrors(req: Request, res: Response, status: number, errors: readonly GraphQLError[]): void {
  const type = req.accepts(['application/graphql-response+json', 'application/json']) || 'application/json';
  res
    .status(status)
    .type(type)
    .send(JSON.stringify({ errors: errors.map((error) => ({ message: error.message, extensions: { code: error.extensions.code } })) }));
}

/** Makes the context of a graphql-ws operation carry its socket's principal, as HTTP contexts do. */
export function principalOfSocket(ctx: Context<ConnectionParams, SocketExtra>): Principal {
  return ctx.extra.principal ?? ANONYMOUS_OPERATOR;
}
