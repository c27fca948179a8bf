// The GraphQL path's one request pipeline, on plain node:http: CORS, authentication and the per-client rate limit,
// the JSON body parser, trusted documents, then Apollo — called one after the other. POST /graphql, the request every
// client operation arrives as, reaches it straight from the listener (http-server.ts); every other request to the
// path (GET operations, preflights, /graphql/…) reaches the same pipeline through express's mount, after the pages
// and the playground had their turn. express's router walks every route registered before /graphql and dresses each
// request and response up on the way; measured under load (docs/benchmarks.md, section 2) that was a larger share of
// an operation than running it, so the hot path skips it — but there is one pipeline, not two assemblies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Principal } from './auth.js';
import type { NodeMiddleware } from './trusted-documents.js';

export interface GraphQLPipelineOptions<Context extends BaseContext> {
  readonly apollo: ApolloServer<Context>;
  /** First: CORS headers (and the answer to a preflight). */
  readonly cors: NodeMiddleware;
  /** Authentication and rate limit; a refused request is answered by it and resolves undefined. */
  readonly admit: (req: IncomingMessage, res: ServerResponse) => Promise<Principal | undefined>;
  /** Sets req.body, or fails with the parser's error (413, 400…). */
  readonly parseBody: NodeMiddleware;
  /** After the body is parsed (trusted documents); each may answer the request itself. */
  readonly documents: readonly NodeMiddleware[];
  readonly context: (req: IncomingMessage, res: ServerResponse, principal: Principal) => Promise<Context>;
  /** What becomes of an error of a step (the error exit's requestFailed). */
  readonly onError: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/** Whether a request skips express: POST to exactly the GraphQL path (a query string allowed). */
export function isGraphQLPost(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'POST' || req.url === undefined || !req.url.startsWith(path)) return false;
  return req.url.length === path.length || req.url.charCodeAt(path.length) === QUESTION_MARK;
}

const QUESTION_MARK = '?'.charCodeAt(0);

export function graphqlPipeline<Context extends BaseContext>(options: GraphQLPipelineOptions<Context>): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, cors, admit, parseBody, documents, context, onError } = options;

  async function execute(req: IncomingMessage & { body?: unknown }, res: ServerResponse, principal: Principal): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'POST').toUpperCase(),
      headers,
      search: query === -1 ? '' : url.slice(query),
      body: req.body,
    };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(req, res, principal) });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      // node:http sets Content-Length for a body written in one end().
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  function afterBody(req: IncomingMessage, res: ServerResponse, principal: Principal, index: number): void {
    if (index === documents.length) {
      execute(req, res, principal).catch((error: unknown) => onError(error, req, res));
      return;
    }
    documents[index]!(req, res, (error) => {
      if (error) onError(error, req, res);
      else afterBody(req, res, principal, index + 1);
    });
  }

  return (req, res) => {
    cors(req, res, (corsError) => {
      if (corsError) return onError(corsError, req, res);
      admit(req, res).then(
        (principal) => {
          if (principal === undefined) return;
          parseBody(req, res, (bodyError) => {
            if (bodyError) onError(bodyError, req, res);
            else afterBody(req, res, principal, 0);
          });
        },
        (error: unknown) => onError(error, req, res),
      );
    });
  };
}
