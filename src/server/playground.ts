// The GraphiQL playground at GET /graphql for browsers. Apollo's own landing page loads its code from a CDN and
// stays blank on a closed network; ours is built from the project's dependencies (web/playground) and served here.
import type { Request, RequestHandler } from 'express';
import { DEFAULT_WEB_ROOT, sendPage } from './static-assets.js';

/**
 * Answers the GET requests a browser makes when someone opens /graphql: HTML preferred over JSON, and no `query`
 * parameter (a GET with one is a GraphQL operation, which Apollo answers). Everything else passes to Apollo.
 */
export function playgroundHandler(webRoot: string = DEFAULT_WEB_ROOT): RequestHandler {
  return (req, res, next) => {
    if (!wantsPlayground(req)) {
      next();
      return;
    }
    sendPage(res, webRoot, 'playground.html');
  };
}

export function wantsPlayground(req: Pick<Request, 'method' | 'query' | 'accepts'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (typeof req.query === 'object' && req.query !== null && 'query' in req.query) return false;
  // A browser's Accept lists text/html first; `*/*` (curl) picks the first entry here, JSON.
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}
