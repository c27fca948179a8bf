// POST /graphql, the request every client operation arrives as, served on node:http without express: the same
// steps as the express route (CORS, authentication and the per-client rate limit, the JSON body parser, trusted
// documents, Apollo), called one after the other. express's router walks every route registered before /graphql and
// dresses each request and response up on the way; measured under load (docs/benchmarks.md, section 2) that was a
// larger share of an operation than running it. Every other method and path (GET operations, the playground,
// preflights, /graphql/…) still goes through express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Principal } from './auth.js';
import type { NodeMiddleware } from './trusted-documents.js';

export interface GraphQLPostOptions<Context extends BaseContext> {
  readonly apollo: ApolloServer<Context>;
  /** First, as on the express route: CORS headers. */
  readonly cors: NodeMiddleware;
  /** Authentication and rate limit; a refused request is answered by it and resolves undefined. */
  readonly admit: (req: IncomingMessage, res: ServerResponse) => Promise<Principal | undefined>;
  /** Sets req.body, or fails with the parser's error (413, 400…). */
  readonly parseBody: NodeMiddleware;
  /** After the body is parsed (trusted documents); each may answer the request itself. */
  readonly documents: readonly NodeMiddleware[];
  readonly context: (req: IncomingMessage, res: ServerResponse, principal: Principal) => Promise<Context>;
  /** What the express route's error handlers do with an error of a step. */
  readonly onError: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/** Whether a request is one for the fast path: POST to exactly the GraphQL path (a query string allowed). */
export function isGraphQLPost(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'POST' || req.url === undefined || !req.url.startsWith(path)) return false;
  return req.url.length === path.length || req.url.charCodeAt(path.length) === QUESTION_MARK;
}

const QUESTION_MARK = '?'.charCodeAt(0);

export function graphqlPostHandler<Context extends BaseContext>(options: GraphQLPostOptions<Context>): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, cors, admit, parseBody, documents, context, onError } = options;

  async function execute(req: IncomingMessage & { body?: unknown }, res: ServerResponse, principal: Principal): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: 'POST',
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
