// The board's organization shape in Chromium against the whole stack: the OU tree beside the table with counts per
// OU, clicking an OU narrows the table to it and its descendants, tag filters, the choice kept in the URL (a
// reload or a shared link shows the same view), and "Export CSV" of the view.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchBrowser, type Browser, type RecordedPage } from './support/chromium.js';
import { startLiveStack, type LiveStack } from './support/live-stack.js';

/** Waits for the browser to show something; generous, since CI machines are shared. @default 30_000 // ms */
const SHOW_TIMEOUT_MS = 30_000;
const MEMBERS = 40;

describe('the status board’s OU tree, tag filters and CSV export', () => {
  let stack: LiveStack;
  let browser: Browser;
  const opened: RecordedPage[] = [];
  let prodId: string;
  let prodAccounts: string[];
  let paymentsAccounts: string[];
  let total: number;

  const openBoard = async (search = '') => {
    const board = await browser.open(`${stack.origin}/${search}`);
    opened.push(board);
    await expect.poll(() => board.page.locator('tbody tr').count(), { timeout: SHOW_TIMEOUT_MS }).toBeGreaterThan(0);
    return board;
  };

  beforeAll(async () => {
    stack = await startLiveStack({ memberAccounts: MEMBERS });
    browser = await launchBrowser();
    const tree = (await stack.gql('{ organization { root { children { name children { id name } } } } }')).data.organization.root;
    prodId = tree.children.find((unit: any) => unit.name === 'Workloads').children.find((unit: any) => unit.name === 'Prod').id;
    const answer = (
      await stack.gql(
        `query($ou: String!) { organization { accounts(first: 1000) { totalCount }
          prod: accounts(first: 1000, filter: { organizationalUnitId: $ou }) { nodes { id } }
          payments: accounts(first: 1000, filter: { tags: [{ key: "team", values: ["payments"] }] }) { nodes { id } } } }`,
        { ou: prodId },
      )
    ).data.organization;
    total = answer.accounts.totalCount;
    prodAccounts = answer.prod.nodes.map((node: { id: string }) => node.id).sort();
    paymentsAccounts = answer.payments.nodes.map((node: { id: string }) => node.id).sort();
  });
  afterEach(async () => {
    for (const { page, requests, errors } of opened.splice(0)) {
      expect(foreignRequests(requests, stack.origin)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const rowIds = async (board: RecordedPage) => (await board.page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-account-id')!))).sort();

  it('shows the OU tree with counts, and a click narrows the table to the OU and keeps it in the URL', async () => {
    const board = await openBoard();
    const { page } = board;
    await expect.poll(() => page.locator('.unit-tree .unit').allTextContents(), { timeout: SHOW_TIMEOUT_MS }).toContain(`Prod ${prodAccounts.length}`);
    expect(await page.locator('.unit-tree .unit').first().textContent()).toBe(`All accounts ${total}`);
    const names = await page.locator('.unit-tree .unit-name').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Security', 'Infrastructure', 'Workloads', 'Prod', 'Staging', 'Sandbox', 'Suspended']));

    await page.locator(`.unit-tree .unit[data-unit-id="${prodId}"]`).click();
    await expect.poll(() => rowIds(board), { timeout: SHOW_TIMEOUT_MS }).toEqual(prodAccounts);
    expect(new URL(page.url()).searchParams.get('ou')).toBe(prodId);

    // The same URL, opened afresh (as a shared link), shows the same view.
    const shared = await openBoard(new URL(page.url()).search);
    await expect.poll(() => rowIds(shared), { timeout: SHOW_TIMEOUT_MS }).toEqual(prodAccounts);
    expect(await shared.page.locator(`.unit-tree .unit[data-unit-id="${prodId}"]`).getAttribute('aria-pressed')).toBe('true');
  });

  it('narrows by a tag and exports the filtered view as CSV with OU path, tags and each status', async () => {
    const board = await openBoard();
    const { page } = board;
    await expect.poll(() => page.locator('select[data-tag-key="team"] option').count(), { timeout: SHOW_TIMEOUT_MS }).toBeGreaterThan(1);
    await page.locator('select[data-tag-key="team"]').selectOption('payments');
    await expect.poll(() => rowIds(board), { timeout: SHOW_TIMEOUT_MS }).toEqual(paymentsAccounts);
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['team=payments']);
    await expect.poll(() => page.locator('td.status.waiting').count(), { timeout: SHOW_TIMEOUT_MS }).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('accounts.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(
      'account,name,state,ou_path,tags,FLEETWISE_REGISTRATION@us-east-1,FLEETWISE_REGISTRATION@us-east-1_read_at,' +
        'COMPUTE_OPTIMIZER_ENROLLMENT,COMPUTE_OPTIMIZER_ENROLLMENT_read_at,CREATION_REQUEST,CREATION_REQUEST_read_at',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(paymentsAccounts);
    for (const line of lines.slice(1)) {
      expect(line).toContain('team=payments');
      // The OU path starts at the root, as Account.path does.
      expect(line.split(',')[3]).toMatch(/^Root(\/|$)/);
      expect(line.split(',')[6]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });
});
