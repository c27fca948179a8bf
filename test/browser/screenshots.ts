// Takes the README's screenshots at 1280×800 — docs/status-board.png and docs/playground.png — from the demo
// organization on the embedded emulator, in Debian's Chromium. Run with `npm run docs:screenshots`.
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './support/chromium.js';
import { REGISTER, roleArnIn, startLiveStack, unregisteredAccount } from './support/live-stack.js';

const docs = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
/** Long enough that the registration below is still pending when the board is photographed. @default 30_000 // ms */
const TRANSITION_MS = 30_000;
const WAIT_MS = 30_000;

const stack = await startLiveStack({ delayMs: TRANSITION_MS });
const browser = await launchBrowser();
try {
  const board = await browser.open(`${stack.origin}/`);
  await board.page.locator('td.status').first().waitFor({ timeout: WAIT_MS });
  // A locator, not waitForFunction: the board's Content-Security-Policy forbids the eval that a page function needs.
  await board.page.locator('td.status.waiting').first().waitFor({ state: 'detached', timeout: WAIT_MS });
  // The OU tree beside the table, read once the directory is in.
  await board.page.locator('.unit-tree .unit[data-unit-id]').first().waitFor({ timeout: WAIT_MS });
  const account = await unregisteredAccount(stack);
  await stack.gql(REGISTER, { accountId: account.id, iamRoleArn: roleArnIn(account.id) });
  await board.page.locator(`tr[data-account-id="${account.id}"] td[data-value="REGISTRATION_PENDING"]`).waitFor({ timeout: WAIT_MS });
  // Let the change highlight fade, so the picture shows the board at rest.
  await board.page.waitForTimeout(3_500);
  await board.page.screenshot({ path: docs('status-board.png') });

  const playground = await browser.open(`${stack.origin}/graphql`);
  await playground.page.locator('.graphiql-query-editor .view-lines').waitFor({ timeout: WAIT_MS });
  // One account's details: the answer fits the window beside the schema docs.
  await playground.page.getByRole('button', { name: 'AccountStatus', exact: true }).click();
  await playground.page.getByRole('button', { name: /^Execute query/ }).click();
  await playground.page.locator('.graphiql-response .view-lines').getByText('"management"').waitFor({ timeout: WAIT_MS });
  await playground.page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await playground.page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
  await playground.page.locator('.graphiql-doc-explorer').getByText('The organization; null when the caller is in none.').waitFor({ timeout: WAIT_MS });
  await playground.page.screenshot({ path: docs('playground.png') });
  console.log('wrote docs/status-board.png and docs/playground.png');
} finally {
  await browser.close();
  await stack.close();
}
