// Debian's Chromium driven by playwright-core (no browser download: CI installs it with apt-get). Every request a
// page makes is recorded, so tests can prove that nothing leaves the server's origin.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides it. */
const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The screenshots in docs/ and the tests share one screen size: a common laptop screen. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** Headless, and quiet: no GPU, no QUIC, none of Chromium's own background traffic (updates, sync, field trials). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RecordedPage {
  readonly page: Page;
  /** Every URL the page requested (documents, scripts, workers, fetches, WebSockets). */
  readonly requests: string[];
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
}

export interface OpenOptions {
  /** Runs on the page before it loads: routes (`routeWebSocket`), a virtual clock (`page.clock.install`)… */
  readonly beforeLoad?: (page: Page) => Promise<void>;
}

export interface Browser {
  open(url: string, options?: OpenOptions): Promise<RecordedPage>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'statusgraph-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    async open(url, options = {}) {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('websocket', (socket) => requests.push(socket.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      // Workers' requests (Monaco's language workers) go through the page's request event only for their script.
      page.on('worker', (worker) => requests.push(worker.url()));
      await options.beforeLoad?.(page);
      await page.goto(url);
      return { page, requests, errors };
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The requests whose origin is not `origin` (data: and blob: URLs stay in the page and are not requests out). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
    const comparable = parsed.protocol === 'ws:' ? `http://${parsed.host}` : parsed.protocol === 'wss:' ? `https://${parsed.host}` : parsed.origin;
    return comparable !== origin;
  });
}
