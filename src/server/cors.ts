// Who may call the API from a browser page on another origin: an allowlist (STATUSGRAPH_CORS_ORIGINS), empty by
// default. The same list decides WebSocket upgrades, which browsers send cross-origin without any CORS check.
import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import type { NodeMiddleware } from './trusted-documents.js';

/** How long a browser may reuse a preflight answer. @default 600 // 10 minutes */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Headers a GraphQL client sends: JSON bodies, credentials of a proxy in front, our request id, Apollo's CSRF opt-in. */
const ALLOWED_REQUEST_HEADERS = ['content-type', 'authorization', 'x-request-id', 'apollo-require-preflight'];

/**
 * CORS for the GraphQL endpoint. An origin on the list gets `Access-Control-Allow-Origin` for itself; any other
 * origin gets no CORS header at all, so its browser withholds the response. Same-origin pages need no CORS.
 */
export function corsMiddleware(allowedOrigins: readonly string[]): NodeMiddleware {
  return cors({
    origin: [...allowedOrigins],
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}

/** Status of a refused WebSocket upgrade: the origin is known and not allowed. */
const FORBIDDEN = 403;

/** ws's `verifyClient`: upgrades from origins that may not call the API get 403 (ws's own default would be 401). */
export function webSocketOriginCheck(allowedOrigins: readonly string[]) {
  return (info: { req: IncomingMessage }, callback: (allowed: boolean, code?: number, message?: string) => void): void => {
    if (isWebSocketOriginAllowed(info.req, allowedOrigins)) callback(true);
    else callback(false, FORBIDDEN, 'Origin not allowed');
  };
}

/**
 * Whether a WebSocket upgrade may proceed: no Origin header (not a browser: Node clients, curl), the page's own
 * origin (its host is the Host the request came to), or an origin on the allowlist. Anything else would let a
 * page on any site subscribe with the user's network position, so it is refused.
 */
export function isWebSocketOriginAllowed(request: Pick<IncomingMessage, 'headers'>, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  return URL.canParse(origin) && new URL(origin).host === request.headers.host;
}
