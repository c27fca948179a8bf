// The routes that serve the built pages (static-assets.ts, playground.ts), on a real express app over HTTP with a
// web root written for the test: the board at /, the playground for browsers at GET /graphql, hashed assets.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playgroundHandler } from '../../src/server/playground.js';
import { webAssetsRouter } from '../../src/server/static-assets.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** An app shaped like the server's: pages first, then whatever answers GraphQL (here a marker). */
async function serve(webRoot: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(webAssetsRouter(webRoot));
  app.get('/graphql', playgroundHandler(webRoot));
  app.use('/graphql', (_req, res) => {
    res.json({ answeredBy: 'graphql' });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the web pages', () => {
  let webRoot: string;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'statusgraph-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), '<title>board</title>');
    await writeFile(join(webRoot, 'playground.html'), '<title>playground</title>');
    await writeFile(join(webRoot, 'assets', 'board-abc123.js'), 'console.log("board")');
    ({ url, server } = await serve(webRoot));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves the board at / with a policy that keeps the page on its own origin', async () => {
    const page = await fetch(`${url}/`);
    expect(await page.text()).toBe('<title>board</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:/);
  });

  it('serves hashed assets for a year, and 404 for unknown ones', async () => {
    const asset = await fetch(`${url}/assets/board-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
  });

  it('serves the playground to a browser opening /graphql', async () => {
    const page = await fetch(`${url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(await page.text()).toBe('<title>playground</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('leaves GraphQL clients to the GraphQL handler: any Accept, and GETs that carry a query', async () => {
    for (const init of [{ headers: { accept: '*/*' } }, { headers: { accept: 'application/json' } }, {}]) {
      expect(await (await fetch(`${url}/graphql`, init)).json()).toEqual({ answeredBy: 'graphql' });
    }
    const get = await fetch(`${url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(await get.json()).toEqual({ answeredBy: 'graphql' });
    const post = await fetch(`${url}/graphql`, { method: 'POST', headers: { accept: BROWSER_ACCEPT } });
    expect(await post.json()).toEqual({ answeredBy: 'graphql' });
  });

  it('says how to build the pages when they are missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'statusgraph-web-empty-'));
    const bare = await serve(empty);
    try {
      const page = await fetch(`${bare.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('npm run build:web');
    } finally {
      await new Promise((resolve) => bare.server.close(resolve));
      await rm(empty, { recursive: true, force: true });
    }
  });
});
