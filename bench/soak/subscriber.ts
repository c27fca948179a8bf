// The soak's whole-organization subscribers, behaving as a real client (the board, web/board/live-board.ts) does: each
// keeps the newest history cursor it saw, and when its socket closes graphql-ws reconnects and subscribes again with
// that cursor (`after:`), so what was recorded meanwhile is replayed and nothing is lost. Two things a resumed stream
// does not carry are read again by the organization query — as the board reads its directory again after a reconnect
// — unless the stream tells them first: a status it last saw failing before the socket closed (failures are not
// history), and the statuses of an account it has not heard of (one that joined the organization while the socket was
// down: its creation status went out as a current reading, which no replay repeats). Reconnects are counted.
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Observations } from './observations.js';

const WATCH_ALL = `subscription Watch($after: String) { accountStatusChanged(after: $after) { accountId source region current cursor error { code message } } }`;
const CURRENT_STATES = `{ organization { accounts(first: 1000) { nodes { id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } } } } }`;
/** graphql-ws operations per socket statusgraph allows. */
export const SUBSCRIPTIONS_PER_SOCKET = 100;
/** The region `fleetwiseRegistration` answers without an argument (STATUSGRAPH_FLEETWISE_REGIONS' first). */
export const DEFAULT_FLEETWISE_REGION = 'us-east-1';
/** Wait before a reconnect, a subscription again after the server ended one, and a re-read that found errors. @default 1_000 */
const RETRY_MS = 1_000;
/** After a reconnect's first re-read, when the second goes. @default 5_000 */
const REREAD_AGAIN_MS = 5_000;
/** The API's code for a cursor whose events it cannot give. */
const CURSOR_EXPIRED = 'CURSOR_EXPIRED';

/** What the clients of a soak went through. */
export interface SubscriberConnections {
  /** Sockets closed under the subscribers before the end. */
  socketsClosed: number;
  /** Sockets opened again after one closed (each resumes its subscriptions after their last cursor). */
  reconnects: number;
  /** Statuses last seen failing before a reconnect that were read again by a query (the stream told the rest). */
  statusesReread: number;
  /** Statuses of accounts a subscriber had not heard of at a reconnect that the query told it. */
  unheardStatusesRead: number;
}

/** One whole-organization subscriber: the last value it saw per status. */
export class Subscriber {
  /** `<source>:<account>[:<region>]` → the last `current` received, or `error <code>` when the last event was an error. */
  readonly last = new Map<string, string | null>();
  /** The message of the last event per status, when that event was an error (what a failed check shows). */
  readonly lastErrorMessages = new Map<string, string>();
  events = 0;
  streamErrors = 0;
  /** What the last stream that ended in error said. */
  lastStreamError: string | undefined;
  /** graphql-ws sends this object again on every reconnect: the subscription resumes after the newest cursor seen. */
  readonly variables: { after: string | null } = { after: null };
  /** Statuses last seen failing when the socket closed, not heard of since: the resumed stream may not tell them. */
  readonly staleErrors = new Set<string>();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  subscribe(client: Client, observations: Observations): void {
    if (this.#stopped) return;
    this.#unsubscribe = client.subscribe<any>(
      { query: WATCH_ALL, variables: this.variables },
      {
        next: (payload) => {
          this.events++;
          if (payload.errors?.some((error: any) => error.extensions?.code === CURSOR_EXPIRED)) this.variables.after = null;
          for (const error of payload.errors ?? []) observations.error('subscription', error as any);
          const change = payload.data?.accountStatusChanged;
          if (change) this.heard(change, observations);
        },
        // Retries are endless, so an error is the server's (a stream it ended): subscribe again, after the last cursor.
        error: (error) => {
          this.streamErrors++;
          this.lastStreamError = describe(error);
          void sleep(RETRY_MS).then(() => this.subscribe(client, observations));
        },
        complete: () => void sleep(RETRY_MS).then(() => this.subscribe(client, observations)),
      },
    );
  }

  private heard(change: any, observations: Observations): void {
    const key = `${change.source}:${change.accountId}${change.region ? `:${change.region}` : ''}`;
    this.staleErrors.delete(key);
    if (change.cursor && isNewerCursor(change.cursor, this.variables.after)) this.variables.after = change.cursor;
    if (change.error) {
      observations.error('subscription event', { message: 'error event', extensions: { code: change.error.code } });
      this.last.set(key, `error ${change.error.code}`);
      this.lastErrorMessages.set(key, change.error.message);
      return;
    }
    this.last.set(key, change.current ?? null);
    this.lastErrorMessages.delete(key);
  }

  /** The socket closed: what it last saw failing may have recovered unseen (failures are not replayed). */
  disconnected(): void {
    for (const [key, value] of this.last) if (value?.startsWith('error ')) this.staleErrors.add(key);
  }

  /**
   * A status read again by a query (`error <code>` when it failed): taken only while it is a stale error or was never
   * heard of; which of the two it was, if taken.
   */
  reread(key: string, value: string | null): 'stale' | 'unheard' | undefined {
    const taken = this.staleErrors.delete(key) ? 'stale' : this.last.has(key) ? undefined : 'unheard';
    if (!taken) return undefined;
    this.last.set(key, value);
    // Failing now too: read again by the next look, unless the stream tells it first.
    if (value?.startsWith('error ')) this.staleErrors.add(key);
    else this.lastErrorMessages.delete(key);
    return taken;
  }

  unsubscribe(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
  }
}

/** A graphql-ws client for `subscribers`, reconnecting for as long as it is used; counts into `connections`. */
export function subscriberClient(url: string, subscribers: readonly Subscriber[], connections: SubscriberConnections, running: () => boolean): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: () => sleep(RETRY_MS),
    on: {
      closed: () => {
        if (!running()) return;
        connections.socketsClosed += 1;
        for (const subscriber of subscribers) subscriber.disconnected();
      },
      connected: (_socket, _payload, wasRetry) => {
        if (!wasRetry) return;
        connections.reconnects += 1;
        void rereadAfterReconnect(url, subscribers, connections, running);
      },
    },
  });
}

/**
 * Reads the statuses some subscriber last saw failing before a reconnect, or never heard of — a field that fails now
 * is taken as its error — again while the query itself gets no answer (or the soak ends); once more a few seconds
 * later, for an account that joined before the resumed stream listened for accounts joining.
 */
async function rereadAfterReconnect(url: string, subscribers: readonly Subscriber[], connections: SubscriberConnections, running: () => boolean): Promise<void> {
  await readAgain(url, subscribers, connections, running);
  await sleep(REREAD_AGAIN_MS);
  await readAgain(url, subscribers, connections, running);
}

async function readAgain(url: string, subscribers: readonly Subscriber[], connections: SubscriberConnections, running: () => boolean): Promise<void> {
  while (running()) {
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CURRENT_STATES }) })
      .then((response) => response.json() as Promise<any>)
      .catch(() => undefined);
    const nodes: any[] | undefined = answer?.data?.organization?.accounts?.nodes;
    if (!nodes) {
      await sleep(RETRY_MS);
      continue;
    }
    // `organization.accounts.nodes.<index>.<field>` of each field that could not be read, with its code.
    const failed = new Map<string, string>((answer.errors ?? []).map((error: any) => [`${String(error.path?.[3])}.${String(error.path?.[4])}`, `error ${error.extensions?.code}`]));
    const values = new Map<string, string | null>();
    nodes.forEach((node, index) => {
      const value = (field: string, read: string | null) => (failed.has(`${index}.${field}`) ? failed.get(`${index}.${field}`)! : read);
      values.set(`FLEETWISE_REGISTRATION:${node.id}:${DEFAULT_FLEETWISE_REGION}`, value('fleetwiseRegistration', node.fleetwiseRegistration?.accountStatus ?? null));
      values.set(`COMPUTE_OPTIMIZER_ENROLLMENT:${node.id}`, value('computeOptimizerEnrollment', node.computeOptimizerEnrollment?.status ?? null));
      values.set(`CREATION_REQUEST:${node.id}`, value('creationRequest', node.creationRequest?.state ?? null));
    });
    for (const subscriber of subscribers) {
      for (const key of new Set([...subscriber.staleErrors, ...values.keys()])) {
        const taken = subscriber.reread(key, values.has(key) ? values.get(key)! : null);
        if (taken === 'stale') connections.statusesReread += 1;
        else if (taken === 'unheard') connections.unheardStatusesRead += 1;
      }
    }
    return;
  }
}

/** Whether cursor `a` comes after `b` (none yet: any does). Cursors are decimal event ids, increasing. */
function isNewerCursor(a: string, b: string | null): boolean {
  return b === null || a.length > b.length || (a.length === b.length && a > b);
}

/** A stream's error as graphql-ws gives it: GraphQL errors, a close event, or an Error. */
function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((each: any) => `${each?.extensions?.code ?? 'NO_CODE'}: ${each?.message}`).join('; ');
  const { code, reason, message } = error as { code?: number; reason?: string; message?: string };
  return code !== undefined ? `closed ${code} ${reason ?? ''}` : String(message ?? error);
}
