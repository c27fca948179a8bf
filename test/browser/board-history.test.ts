// The board's history in Chromium against the whole stack (embedded history store): after its socket is cut and
// comes back, the board resumes its subscription after the last cursor it saw (`after:`) and gets exactly the
// changes made meanwhile, then live ones — none twice in an open account's timeline; the timeline shows an account's
// recorded changes with what observed them; "Changed in the last 24 h" keeps the accounts history saw change, by the
// page's clock (a virtual clock moved 25 hours on, not a wait). Transitions are held by the emulator and released
// when a test chooses, so nothing moves by itself.
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchBrowser, type Browser, type RecordedPage } from './support/chromium.js';
import { REGISTER, roleArnIn, startLiveStack, unregisteredAccount, type LiveStack } from './support/live-stack.js';

/** Waits for the browser to show something; generous, since CI machines are shared. @default 30_000 // ms */
const SHOW_TIMEOUT_MS = 30_000;
const UPDATE_ENROLLMENT = `mutation Enroll($accountId: AccountId!, $status: EnrollmentTarget!) {
  updateComputeOptimizerEnrollment(input: { accountId: $accountId, status: $status }) { status }
}`;
const HISTORY_CURSORS = `query($id: AccountId!) { account(id: $id) { history(first: 500) { edges { cursor } } } }`;

/** graphql-ws frames between the page and the server, through a route the test can cut and restore. */
interface SocketTap {
  /** Closes the page's socket (as a network drop would) and holds every new one until `restore`. */
  cut(): void;
  /** Lets held sockets through to the server, with what the page sent meanwhile. */
  restore(): void;
  /** The `subscribe` payloads the page sent, oldest first. */
  readonly subscribes: { variables?: { after?: string | null } }[];
  /** The cursors of the events the page received, in order. */
  readonly received: (string | null)[];
}

async function tapSockets(page: Page): Promise<SocketTap> {
  let cut = false;
  const open: { route: WebSocketRoute; server: WebSocketRoute; alive: boolean }[] = [];
  const held: { route: WebSocketRoute; sent: (string | Buffer)[] }[] = [];
  const tap: SocketTap = {
    subscribes: [],
    received: [],
    cut() {
      cut = true;
      // 1012 (service restart): a close graphql-ws retries.
      for (const socket of open.splice(0)) {
        // Neither side hears the other from now on: what the server sends meanwhile never reaches the page.
        socket.alive = false;
        void socket.server.close();
        void socket.route.close({ code: 1012, reason: 'cut by the test' });
      }
    },
    restore() {
      cut = false;
      for (const { route, sent } of held.splice(0)) connect(route, sent);
    },
  };
  const connect = (route: WebSocketRoute, alreadySent: (string | Buffer)[] = []) => {
    const server = route.connectToServer();
    const socket = { route, server, alive: true };
    open.push(socket);
    const toServer = (message: string | Buffer) => {
      const frame = JSON.parse(String(message)) as { type: string; payload?: { variables?: { after?: string | null } } };
      if (frame.type === 'subscribe') tap.subscribes.push(frame.payload ?? {});
      server.send(message);
    };
    for (const message of alreadySent) toServer(message);
    route.onMessage(toServer);
    server.onMessage((message) => {
      if (!socket.alive) return;
      const frame = JSON.parse(String(message)) as { type: string; payload?: { data?: { accountStatusChanged?: { cursor: string | null } } } };
      const change = frame.payload?.data?.accountStatusChanged;
      if (frame.type === 'next' && change) tap.received.push(change.cursor);
      route.send(message);
    });
  };
  await page.routeWebSocket(/\/graphql$/, (route) => {
    if (!cut) return connect(route);
    const entry = { route, sent: [] as (string | Buffer)[] };
    route.onMessage((message) => entry.sent.push(message));
    held.push(entry);
  });
  return tap;
}

function newestOf(cursors: readonly (string | null)[]): string {
  return cursors.filter((cursor): cursor is string => cursor !== null).reduce((a, b) => (Number(b) > Number(a) ? b : a));
}

/** Chromium's console lines while a socket is away: the page's own reconnect attempts. */
function isExpectedDisconnect(error: string): boolean {
  return /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(error);
}

describe('the status board’s history', () => {
  let stack: LiveStack;
  let browser: Browser;
  const opened: RecordedPage[] = [];
  let accounts: { id: string; enrollment: string | null }[];

  const openBoard = async (beforeLoad?: (page: Page) => Promise<void>) => {
    const board = await browser.open(`${stack.origin}/`, beforeLoad ? { beforeLoad } : {});
    opened.push(board);
    await expect.poll(() => board.page.locator('td.status.waiting').count(), { timeout: SHOW_TIMEOUT_MS }).toBe(0);
    await expect.poll(() => board.page.locator('tbody tr').count(), { timeout: SHOW_TIMEOUT_MS }).toBeGreaterThan(0);
    return board;
  };
  const historyCursors = async (accountId: string): Promise<string[]> =>
    (await stack.gql(HISTORY_CURSORS, { id: accountId })).data.account.history.edges.map((edge: { cursor: string }) => edge.cursor);
  /** Flips an account's enrollment (Pending stays: transitions are held); the mutation records the change. */
  const flipEnrollment = async (accountId: string) => {
    const account = accounts.find((each) => each.id === accountId)!;
    const status = account.enrollment === 'ACTIVE' || account.enrollment === 'PENDING' ? 'INACTIVE' : 'ACTIVE';
    const answer = await stack.gql(UPDATE_ENROLLMENT, { accountId, status });
    expect(answer.errors).toBeUndefined();
    account.enrollment = answer.data.updateComputeOptimizerEnrollment.status;
    return account.enrollment;
  };

  beforeAll(async () => {
    stack = await startLiveStack({ memberAccounts: 8 });
    // Nothing moves by itself: a registration stays REGISTRATION_PENDING, an opt-in Pending, until released.
    stack.emulator.hold();
    browser = await launchBrowser();
    // Accounts whose member role statusgraph can assume (an enrollment change is made in the member account).
    const answer = await stack.gql(
      '{ organization { accounts(first: 100) { nodes { id state computeOptimizerEnrollment { status } fleetwiseRegistration { accountStatus } } } } }',
    );
    accounts = answer.data.organization.accounts.nodes
      .filter((node: any, index: number) => node.state === 'ACTIVE' && node.id !== '000000000000' && !answer.errors?.some((error) => error.path?.[3] === index))
      .map((node: any) => ({ id: node.id, enrollment: node.computeOptimizerEnrollment?.status ?? null }));
    expect(accounts.length).toBeGreaterThanOrEqual(3);
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

  it('resumes after its socket comes back from the last cursor it saw: exactly the missed changes, then live ones, none twice', async () => {
    const registered = await unregisteredAccount(stack);
    const enrolled = accounts.find((account) => account.id !== registered.id)!;
    let tap: SocketTap | undefined;
    const { page } = await openBoard(async (loading) => {
      tap = await tapSockets(loading);
    });
    const row = page.locator(`tr[data-account-id="${registered.id}"]`);
    await row.getByRole('button').click();
    const timeline = page.getByTestId('timeline');
    const timelineCursors = () => timeline.locator('li[data-cursor]').evaluateAll((items) => items.map((item) => item.getAttribute('data-cursor')!));
    await expect.poll(timelineCursors, { timeout: SHOW_TIMEOUT_MS }).toEqual(await historyCursors(registered.id));

    const lastSeen = newestOf(tap!.received);
    const receivedBefore = tap!.received.length;
    tap!.cut();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: SHOW_TIMEOUT_MS }).toBe('reconnecting');

    // While the board is away: a registration (held at REGISTRATION_PENDING) and an enrollment change, both recorded.
    await stack.gql(REGISTER, { accountId: registered.id, iamRoleArn: roleArnIn(registered.id) });
    const enrollment = await flipEnrollment(enrolled.id);
    // Every event recorded after that cursor: the two mutations', and any first reading a poll recorded after the
    // board had already been sent that value (a stream sends a status's value once).
    const changes = (await stack.gql(`{ organization { statusChanges(first: 500) { edges { cursor node { accountId observedBy } } } } }`)).data
      .organization.statusChanges.edges as { cursor: string; node: { accountId: string; observedBy: string } }[];
    const missed = changes.filter((edge) => Number(edge.cursor) > Number(lastSeen)).reverse();
    expect(missed.filter((edge) => edge.node.observedBy === 'MUTATION').map((edge) => edge.node.accountId)).toEqual([registered.id, enrolled.id]);

    tap!.restore();
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: SHOW_TIMEOUT_MS }).toBe('connected');
    // The page resubscribed after the newest cursor it had, and got exactly what it missed, in order.
    expect(tap!.subscribes.at(-1)?.variables?.after).toBe(lastSeen);
    // (Read errors — of members statusgraph cannot read — carry no cursor: they are no history, and may come too.)
    const recordedSince = () => tap!.received.slice(receivedBefore).filter((cursor) => cursor !== null);
    await expect.poll(recordedSince, { timeout: SHOW_TIMEOUT_MS }).toEqual(missed.map((edge) => edge.cursor));
    const fleetwise = row.locator('td[data-source="FLEETWISE_REGISTRATION"]');
    await expect.poll(() => fleetwise.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('REGISTRATION_PENDING');
    const enrollmentCell = page.locator(`tr[data-account-id="${enrolled.id}"] td[data-source="COMPUTE_OPTIMIZER_ENROLLMENT"]`);
    await expect.poll(() => enrollmentCell.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe(enrollment);
    await expect.poll(timelineCursors, { timeout: SHOW_TIMEOUT_MS }).toEqual(await historyCursors(registered.id));
    expect(await timeline.locator('li').first().textContent()).toContain('by mutation');

    // Then live: the registration completes when released; the poller records it, the board shows it once.
    stack.emulator.release(`fleetwise:${registered.id}`);
    await expect.poll(() => fleetwise.getAttribute('data-value'), { timeout: SHOW_TIMEOUT_MS }).toBe('REGISTRATION_SUCCESS');
    await expect.poll(timelineCursors, { timeout: SHOW_TIMEOUT_MS }).toEqual(await historyCursors(registered.id));
    const shown = await timelineCursors();
    expect(new Set(shown).size).toBe(shown.length);
    expect(await timeline.locator('li').first().getAttribute('data-value')).toBe('REGISTRATION_SUCCESS');
    expect(await timeline.locator('li').first().textContent()).toContain('by poll');
  });

  it('keeps the accounts that changed in the last 24 hours, by the page’s clock, live and as time passes', async () => {
    const [before, during] = accounts.slice(-2);
    await flipEnrollment(before!.id);
    const { page } = await openBoard(async (loading) => {
      // The page's clock starts at the real time, so the server's change times are minutes old, not hours.
      await loading.clock.install({ time: new Date() });
    });
    const recent = (await stack.gql(`{ organization { statusChanges(first: 500) { nodes { accountId firstReading } } } }`)).data.organization.statusChanges.nodes;
    const changed = new Set<string>(recent.filter((node: any) => node.firstReading === false).map((node: any) => node.accountId));
    expect(changed.has(before!.id)).toBe(true);

    const filters = page.getByRole('navigation', { name: 'Filter accounts' });
    await filters.getByRole('button', { name: /^Changed in the last 24 h/ }).click();
    const shownIds = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-account-id')!).sort());
    await expect.poll(shownIds, { timeout: SHOW_TIMEOUT_MS }).toEqual([...changed].sort());
    expect(page.url()).toContain('status=recent');

    // A change while the page is open joins the filter as it arrives.
    await flipEnrollment(during!.id);
    changed.add(during!.id);
    await expect.poll(shownIds, { timeout: SHOW_TIMEOUT_MS }).toEqual([...changed].sort());

    // A day and an hour later by the page's clock, none of these changes is recent any more.
    await page.clock.fastForward('25:00:00');
    await expect.poll(shownIds, { timeout: SHOW_TIMEOUT_MS }).toEqual([]);
    expect(await page.locator('p.empty').textContent()).toBe('No account matches this filter.');
    expect(await filters.getByRole('button', { name: /^Changed in the last 24 h/ }).locator('.count').textContent()).toBe('0');
  });
});
