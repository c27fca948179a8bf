// The GraphiQL playground (GET /graphql) in Chromium against the whole stack: it loads from the server's own
// origin only, runs the example query, shows the schema docs, and follows a subscription while a mutation lands.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchBrowser, type Browser, type RecordedPage } from './support/chromium.js';
import { REGISTER, roleArnIn, startLiveStack, unregisteredAccount, type LiveStack } from './support/live-stack.js';

/** Waits for the browser to show something; generous, since CI machines are shared. @default 30_000 // ms */
const SHOW_TIMEOUT_MS = 30_000;

describe('the playground', () => {
  let stack: LiveStack;
  let browser: Browser;
  const opened: RecordedPage[] = [];

  const openPlayground = async () => {
    const playground = await browser.open(`${stack.origin}/graphql`);
    opened.push(playground);
    await playground.page.locator('.graphiql-query-editor .view-lines').waitFor({ timeout: SHOW_TIMEOUT_MS });
    return playground;
  };

  beforeAll(async () => {
    stack = await startLiveStack({ delayMs: 1_000 });
    browser = await launchBrowser();
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

  it('opens with the organization overview and runs it against the demo organization', async () => {
    const { page } = await openPlayground();
    expect(await editorText(page, '.graphiql-query-editor')).toContain('query OrganizationOverview');

    const answered = page.waitForResponse((response) => response.url().endsWith('/graphql') && response.request().method() === 'POST' && (response.request().postData() ?? '').includes('OrganizationOverview'));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const body = await (await answered).json();
    const { totalCount } = (await stack.gql('{ organization { accounts { totalCount } } }')).data.organization.accounts;
    expect(body.data.organization.accounts.totalCount).toBe(totalCount);

    // The response editor shows the answer; its last lines hold the summary counts.
    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: SHOW_TIMEOUT_MS }).toMatch(/"(data|errors)"/);
    await page.locator('.graphiql-response .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: SHOW_TIMEOUT_MS }).toContain('"source": "CREATION_REQUEST"');
  });

  it('shows the schema documentation', async () => {
    const { page } = await openPlayground();
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.textContent(), { timeout: SHOW_TIMEOUT_MS }).toContain('Subscription');
    await docs.getByText('Query', { exact: true }).click();
    await expect.poll(() => docs.textContent()).toContain('The organization; null when the caller is in none.');
  });

  it('follows a subscription and shows the event a mutation causes', async () => {
    const { page } = await openPlayground();
    const account = await unregisteredAccount(stack);

    await page.locator('.graphiql-tab-button', { hasText: 'WatchAccountStatus' }).click();
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('subscription WatchAccountStatus');
    await replaceEditorText(page, '.graphiql-editor-tool', JSON.stringify({ accountIds: [account.id], sources: ['FLEETWISE_REGISTRATION'] }));
    await page.getByRole('button', { name: /^Execute query/ }).click();

    // The first event is the current state: not registered.
    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: SHOW_TIMEOUT_MS }).toContain(`"id": "${account.id}"`);
    expect(await editorText(page, '.graphiql-response')).toContain('"current": null');

    const answer = await stack.gql(REGISTER, { accountId: account.id, iamRoleArn: roleArnIn(account.id) });
    expect(answer.data.registerFleetwiseAccount.accountStatus).toBe('REGISTRATION_PENDING');
    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: SHOW_TIMEOUT_MS }).toContain('"current": "REGISTRATION_SUCCESS"');
    const sockets = opened.at(-1)?.requests.filter((url) => url.startsWith('ws://')) ?? [];
    expect(sockets).toEqual([`ws://${new URL(stack.origin).host}/graphql`]);
  });
});

describe('the playground switched off', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ env: { STATUSGRAPH_PLAYGROUND: 'false' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is not served to browsers, and the API still answers', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await page.text()).not.toContain('graphiql');
    expect((await stack.gql('{ viewer { id } }')).data.viewer.id).toBe('000000000000');
  });
});

/** What a Monaco editor inside `container` shows (Monaco draws spaces as no-break spaces). */
async function editorText(page: RecordedPage['page'], container: string): Promise<string> {
  return (await page.locator(`${container} .view-lines`).first().innerText()).replaceAll('\u00a0', ' ');
}

/** Replaces the text of the Monaco editor inside `container` by typing it (Monaco types over the brackets it closes). */
async function replaceEditorText(page: RecordedPage['page'], container: string, text: string): Promise<void> {
  await page.locator(`${container} .view-lines`).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}
