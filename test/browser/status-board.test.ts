// The status board (/) in Chromium against the whole stack: the demo organization, live changes after a mutation,
// read errors per cell, filters, reconnection after a server restart, a 1,000-account organization, and no
// request to any other origin.
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchBrowser, type Browser, type RecordedPage } from './support/chromium.js';
import { REGISTER, roleArnIn, startLiveStack, unregisteredAccount, type LiveStack } from './support/live-stack.js';

/** Waits for the browser to show something; generous, since CI machines are shared. @default 30_000 // ms */
const SHOW_TIMEOUT_MS = 30_000;

describe('the status board', () => {
  let stack: LiveStack;
  let browser: Browser;
  const opened: RecordedPage[] = [];

  const openBoard = async () => {
    const board = await browser.open(`${stack.origin}/`);
    opened.push(board);
    return board;
  };

  beforeAll(async () => {
    stack = await startLiveStack({ delayMs: 1_000 });
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const { page, requests, errors } of opened.splice(0)) {
      expect(foreignRequests(requests, stack.origin)).toEqual([]);
      expect(errors.filter((error) => !isExpectedDisconnect(error))).toEqual([]);
      await page.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows every account of the demo organization with its three statuses and the summary counts', async () => {
    const { page } = await openBoard();
    const organization = (await stack.gql('{ organization { id accounts(first: 100) { totalCount nodes { id name } } } }')).data.organization;

    const total: number = organization.accounts.totalCount;
    await expect.poll(() => page.getByTestId('organization').textContent(), { timeout: SHOW_TIMEOUT_MS }).toContain(`${organization.id} · ${total} accounts`);
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: SHOW_TIMEOUT_MS }).toBe(total);
    for (const account of organization.accounts.nodes) {
      const row = page.locator(`tr[data-account-id="${account.id}"]`);
      expect(await row.locator('.name').textContent()).toBe(account.name);
    }
    expect(await page.locator('thead th').allTextContents()).toEqual([
      'Account',
      'State',
      'IoT FleetWise (us-east-1)',
      'Compute Optimizer',
      'Creation request',
      'Last changed',
    ]);
    // Every cell fills from the subscription's first events (the current state).
    await expect.poll(() => page.locator('td.status.waiting').count(), { timeout: SHOW_TIMEOUT_MS }).toBe(0);
    await expect.poll(() => page.getByTestId('summary').locator('.card.total .big').textContent(), { timeout: SHOW_TIMEOUT_MS }).toBe(String(total));
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
  });

  it('changes a row when a mutation registers its account, and shows when it changed', async () => {
    const { page } = await openBoard();
    const account = await unregisteredAccount(stack);
    const cell = page.locator(`tr[data-account-id="${account.id}"] td[data-source="FLEETWISE_REGISTRATION"]`);
    await expect.poll(() => cell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('NONE');
    expect(await cell.textContent()).toContain('Not registered');

    // Another client on this origin registers the account, as a frontend would.
    const answer: any = await page.evaluate(
      async ({ query, variables }) => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json(),
      { query: REGISTER, variables: { accountId: account.id, iamRoleArn: roleArnIn(account.id) } },
    );
    expect(answer.data.registerFleetwiseAccount.accountStatus).toBe('REGISTRATION_PENDING');

    await expect.poll(() => cell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('REGISTRATION_SUCCESS');
    expect(await cell.textContent()).toContain('Registered');
    const changedAt = await page.locator(`tr[data-account-id="${account.id}"] [data-testid="last-changed"] time`).getAttribute('datetime');
    expect(Number.isNaN(Date.parse(changedAt ?? ''))).toBe(false);
  });

  it('marks an account whose status cannot be read instead of hiding it, and filters to such rows', async () => {
    const { page } = await openBoard();
    const answer = await stack.gql('{ organization { accounts(first: 100) { totalCount nodes { id fleetwiseRegistration { accountStatus } } } } }');
    const total: number = answer.data.organization.accounts.totalCount;
    const denied = answer.errors?.find((error) => error.extensions?.code === 'AWS_ACCESS_DENIED');
    expect(denied).toBeDefined();
    const deniedId = answer.data.organization.accounts.nodes[denied?.path?.[3] as number].id;

    const cell = page.locator(`tr[data-account-id="${deniedId}"] td[data-source="FLEETWISE_REGISTRATION"]`);
    await expect.poll(() => cell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('ERROR');
    expect(await cell.textContent()).toContain('AWS_ACCESS_DENIED');

    const filters = page.getByRole('navigation', { name: 'Filter accounts' });
    await filters.getByRole('button', { name: /^Read error/ }).click();
    const shown = await page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-account-id')));
    expect(shown).toContain(deniedId);
    expect(await page.locator('tbody tr').count()).toBeLessThan(total);
    for (const id of shown) {
      expect(await page.locator(`tr[data-account-id="${id}"] td.tone-error`).count()).toBeGreaterThan(0);
    }
    await filters.getByRole('button', { name: /^All/ }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(total);
  });

  it('filters by one status value from the summary counts', async () => {
    const { page } = await openBoard();
    const summaryButton = page.getByTestId('summary').locator('button[data-value="INACTIVE"]');
    await summaryButton.waitFor({ timeout: SHOW_TIMEOUT_MS });
    const expected = Number(await summaryButton.locator('.count').textContent());
    await summaryButton.click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(expected);
    const values = await page.locator('tbody td[data-source="COMPUTE_OPTIMIZER_ENROLLMENT"]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-value')));
    expect(new Set(values)).toEqual(new Set(['INACTIVE']));
  });

  it('reconnects after the server restarts and keeps following changes', async () => {
    const { page } = await openBoard();
    const connection = page.getByTestId('connection');
    await expect.poll(() => connection.getAttribute('data-state'), { timeout: SHOW_TIMEOUT_MS }).toBe('connected');

    await stack.stopServer();
    await expect.poll(() => connection.getAttribute('data-state'), { timeout: SHOW_TIMEOUT_MS }).toBe('reconnecting');
    await stack.startServer();
    await expect.poll(() => connection.getAttribute('data-state'), { timeout: SHOW_TIMEOUT_MS }).toBe('connected');

    const account = await unregisteredAccount(stack);
    const cell = page.locator(`tr[data-account-id="${account.id}"] td[data-source="FLEETWISE_REGISTRATION"]`);
    await expect.poll(() => cell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('NONE');
    await stack.gql(REGISTER, { accountId: account.id, iamRoleArn: roleArnIn(account.id) });
    await expect.poll(() => cell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('REGISTRATION_SUCCESS');
  });
});

describe('the status board with 1,000 accounts', () => {
  let stack: LiveStack;
  let browser: Browser;

  beforeAll(async () => {
    // A rate limit high enough that the emulator, not the limiter, sets the pace of the first 1,000 AssumeRoles.
    // 998 members, the management account and the one the demo's pending creation adds: 1,000 accounts.
    stack = await startLiveStack({ memberAccounts: 998, env: { STATUSGRAPH_AWS_RATE_LIMIT: '2000' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders a page of 100 rows at a time while every account is counted and watched', async () => {
    const { page, requests } = await browser.open(`${stack.origin}/`);
    await expect.poll(() => page.getByTestId('page').textContent(), { timeout: 60_000 }).toBe('Page 1 of 10 · 1000 accounts');
    expect(await page.locator('tbody tr').count()).toBe(100);
    await expect.poll(() => page.locator('td.status.waiting').count(), { timeout: 90_000 }).toBe(0);

    const firstOfPageOne = await page.locator('tbody tr').first().getAttribute('data-account-id');
    await page.getByRole('button', { name: 'Next ›' }).click();
    expect(await page.getByTestId('page').textContent()).toBe('Page 2 of 10 · 1000 accounts');
    const firstOfPageTwo = await page.locator('tbody tr').first().getAttribute('data-account-id');
    expect(firstOfPageTwo! > firstOfPageOne!).toBe(true);
    expect(await page.locator('tbody tr').count()).toBe(100);
    expect(foreignRequests(requests, stack.origin)).toEqual([]);
  });
});

/** The console line Chromium writes while a restarted server is away: the page's own reconnect attempts. */
function isExpectedDisconnect(error: string): boolean {
  return /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(error);
}

describe('the status board on a server that requires a token', () => {
  const token = randomBytes(32).toString('hex');
  let stack: LiveStack;
  let browser: Browser;

  beforeAll(async () => {
    const sha256 = createHash('sha256').update(token).digest('hex');
    stack = await startLiveStack({ env: { STATUSGRAPH_API_KEYS: `wall-screen:reader:${sha256}` } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('reads and follows the organization with the token from its URL fragment', async () => {
    const { page, requests } = await browser.open(`${stack.origin}/#token=${token}`);
    await expect.poll(() => page.locator('td.status:not(.waiting)').count(), { timeout: SHOW_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    expect(await page.getByRole('alert').count()).toBe(0);
    // The fragment stays in the browser: no request carries the token in its URL.
    expect(requests.filter((url) => url.includes(token))).toEqual([]);
  });

  it('says how to pass a token when opened without one', async () => {
    const { page } = await browser.open(`${stack.origin}/`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: SHOW_TIMEOUT_MS }).toContain('/#token=');
    expect(await page.locator('tbody tr').count()).toBe(0);
  });
});

describe('the status board on a server that runs trusted documents only', () => {
  let stack: LiveStack;
  let browser: Browser;

  beforeAll(async () => {
    const manifest = fileURLToPath(new URL('../../examples/generated/persisted-documents.json', import.meta.url));
    stack = await startLiveStack({ env: { STATUSGRAPH_TRUSTED_DOCUMENTS: manifest } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('switches to sending its documents by manifest id and shows the organization live', async () => {
    expect((await stack.gql('{ viewer { id } }')).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const { page } = await browser.open(`${stack.origin}/`);
    // Rows first: with none on the page yet, "no cell is waiting" would hold before anything arrived.
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: SHOW_TIMEOUT_MS }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('td.status.waiting').count(), { timeout: SHOW_TIMEOUT_MS }).toBe(0);
    await expect.poll(() => page.getByTestId('summary').locator('.card.total .big').textContent(), { timeout: SHOW_TIMEOUT_MS }).toMatch(/^\d+$/);
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
