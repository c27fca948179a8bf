// The built browser pages (web/dist, made by `npm run build:web`): the status board at `/` and the bundles under
// `/assets/`. Every byte a page loads comes from here, and the Content-Security-Policy keeps it that way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';

/** web/dist beside src/ (tsx) or dist/ (compiled): both sit two levels below the repository root. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Built asset names carry a content hash, so a browser may keep them for good. @default '1y' // one year */
const HASHED_ASSET_MAX_AGE = '1y';

/**
 * Nothing but this origin: scripts, workers, styles, fonts and API calls (HTTP and WebSocket). Inline styles are
 * allowed because GraphiQL's editor (Monaco) sets them at run time; data: fonts and images are GraphiQL's icons.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type WebPage = 'index.html' | 'playground.html';

/** Serves `/assets/*` and the board at `/`. */
export function webAssetsRouter(webRoot: string = DEFAULT_WEB_ROOT): Router {
  const router = express.Router();
  router.use('/assets', express.static(join(webRoot, 'assets'), { immutable: true, maxAge: HASHED_ASSET_MAX_AGE, index: false }));
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });
  router.get('/', (_req, res) => sendPage(res, webRoot, 'index.html'));
  return router;
}

/** Sends one built page, never cached (it names the current hashed bundles), or 503 when the pages were not built. */
export function sendPage(res: Response, webRoot: string, page: WebPage): void {
  const file = join(webRoot, page);
  if (!existsSync(file)) {
    res.status(503).type('text/plain').send(`The web pages are not built: run "npm run build:web" (looked for ${page}).\n`);
    return;
  }
  res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' });
  res.sendFile(file);
}
