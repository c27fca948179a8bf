// The soak's clients, all at once against one statusgraph: org-wide queries (cold whenever the cache has expired, warm
// otherwise), paging, account(id) for random ids, mutations on random members, and graphql-ws subscribers over the
// whole organization. Every answer goes through Observations.
import type { Client } from 'graphql-ws';
import type { Observations } from './observations.js';
import { DEFAULT_FLEETWISE_REGION, Subscriber, subscriberClient, SUBSCRIPTIONS_PER_SOCKET, type SubscriberConnections } from './subscriber.js';

export { DEFAULT_FLEETWISE_REGION, Subscriber } from './subscriber.js';

const STATUS_FIELDS = /* GraphQL */ `
  id
  fleetwiseRegistration { accountStatus fetchedAt }
  computeOptimizerEnrollment { status fetchedAt }
  creationRequest { id state fetchedAt }
`;
const ORG_QUERY = `{ organization { accounts(first: 1000) { totalCount nodes { ${STATUS_FIELDS} } } statusSummary { totalAccounts } } }`;
const PAGE_QUERY = `query Page($after: String) { organization { accounts(first: 100, after: $after) { nodes { ${STATUS_FIELDS} } pageInfo { hasNextPage endCursor } } } }`;
const ACCOUNT_QUERY = `query One($id: AccountId!) { account(id: $id) { ${STATUS_FIELDS} } }`;
const REGISTER = `mutation R($input: RegisterFleetwiseAccountInput!) { registerFleetwiseAccount(input: $input) { accountStatus fetchedAt } }`;
const ENROLL = `mutation E($input: UpdateComputeOptimizerEnrollmentInput!) { updateComputeOptimizerEnrollment(input: $input) { status fetchedAt } }`;
const CREATE = `mutation C($input: CreateAccountInput!) { createAccount(input: $input) { id state fetchedAt } }`;

export interface Workload {
  /** Resolves when every client loop has ended (after `stop`). */
  readonly done: Promise<void>;
  /**
   * Ends the mutations (queries and subscribers go on): what follows is quiet, in which every transition started
   * completes and reaches the subscribers — a registration sent a second before `stop` could not.
   */
  stopMutations(): Promise<void>;
  stop(): void;
}

interface GraphQLAnswer {
  readonly data?: any;
  readonly errors?: readonly { message?: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** POSTs one operation and records it; the answer, or undefined when the request itself failed. */
async function send(url: string, observations: Observations, kind: string, query: string, variables?: object): Promise<GraphQLAnswer | undefined> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as GraphQLAnswer;
    observations.operation(kind, performance.now() - startedAt, answer.errors);
    return answer;
  } catch (error) {
    observations.failure(kind, error);
    return undefined;
  }
}

/** Records an Account's three statuses as samples. */
export function recordAccount(observations: Observations, account: any): void {
  if (!account) return;
  const fleetwise = account.fleetwiseRegistration;
  if (fleetwise) observations.status(`fleetwise:${account.id}:${DEFAULT_FLEETWISE_REGION}`, fleetwise.accountStatus, fleetwise.fetchedAt);
  const enrollment = account.computeOptimizerEnrollment;
  if (enrollment) observations.status(`enrollment:${account.id}`, enrollment.status, enrollment.fetchedAt);
  const creation = account.creationRequest;
  if (creation) observations.status(`creation:${creation.id}`, creation.state, creation.fetchedAt);
}

export interface WorkloadOptions {
  readonly url: string;
  readonly observations: Observations;
  /** Member accounts mutations and account(id) pick from. */
  readonly members: readonly string[];
  readonly subscribers: number;
  /** Pause of a loop between two operations (org-wide queries and paging: ten times as long, mutations five). */
  readonly pauseMs: number;
}

export function startWorkload(options: WorkloadOptions): Workload & { readonly subscribers: readonly Subscriber[]; readonly connections: SubscriberConnections; dropSockets(): void } {
  const { url, observations, members } = options;
  let running = true;
  let mutating = true;
  const pick = () => members[Math.floor(Math.random() * members.length)]!;
  // Paced loops: a soak holds a steady load; unpaced, the clients would take the CPU the server needs.
  const loop = async (body: () => Promise<void>, pauseMs: number, go = () => running) => {
    while (go()) {
      await body();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  let created = 0;
  const mutations = [
    async () => {
      const accountId = pick();
      await send(url, observations, 'registerFleetwiseAccount', REGISTER, { input: { accountId, iamRoleArn: `arn:aws:iam::${accountId}:role/FleetWiseRole` } });
    },
    async () => {
      const status = Math.random() < 0.5 ? 'ACTIVE' : 'INACTIVE';
      await send(url, observations, 'updateComputeOptimizerEnrollment', ENROLL, { input: { accountId: pick(), status } });
    },
    async () => {
      created++;
      const suffix = `${process.pid}-${Date.now()}-${created}`;
      await send(url, observations, 'createAccount', CREATE, {
        input: { email: `soak-${suffix}@example.com`, accountName: `soak ${created}`, idempotencyKey: `soak-${suffix}` },
      });
    },
  ];
  const subscribers = Array.from({ length: options.subscribers }, () => undefined).map(() => new Subscriber());
  const connections: SubscriberConnections = { socketsClosed: 0, reconnects: 0, statusesReread: 0, unheardStatusesRead: 0 };
  const clients: Client[] = [];
  for (let i = 0; i < subscribers.length; i += SUBSCRIPTIONS_PER_SOCKET) {
    const group = subscribers.slice(i, i + SUBSCRIPTIONS_PER_SOCKET);
    const client = subscriberClient(url, group, connections, () => running);
    clients.push(client);
    for (const subscriber of group) subscriber.subscribe(client, observations);
  }

  const loops = [
    loop(async () => {
      const answer = await send(url, observations, 'organization', ORG_QUERY);
      for (const node of answer?.data?.organization?.accounts?.nodes ?? []) recordAccount(observations, node);
    }, 10 * options.pauseMs),
    loop(async () => {
      let after: string | null = null;
      do {
        const answer: GraphQLAnswer | undefined = await send(url, observations, 'page', PAGE_QUERY, { after });
        const accounts = answer?.data?.organization?.accounts;
        for (const node of accounts?.nodes ?? []) recordAccount(observations, node);
        after = accounts?.pageInfo?.hasNextPage ? accounts.pageInfo.endCursor : null;
      } while (after !== null && running);
    }, 10 * options.pauseMs),
    ...[1, 2].map(() =>
      loop(async () => {
        const answer = await send(url, observations, 'account', ACCOUNT_QUERY, { id: pick() });
        recordAccount(observations, answer?.data?.account);
      }, options.pauseMs),
    ),
  ];
  const mutationLoop = loop(async () => {
    // createAccount one time in ten: AWS allows five creations in progress at once.
    const index = Math.random() < 0.1 ? 2 : Math.floor(Math.random() * 2);
    await mutations[index]!();
  }, 5 * options.pauseMs, () => running && mutating);
  loops.push(mutationLoop);
  const done = Promise.all(loops).then(async () => {
    // A lazy client closes its socket by itself once its last subscription is gone; disposing it then only repeats that.
    for (const subscriber of subscribers) subscriber.unsubscribe();
    await Promise.allSettled(clients.map((client) => client.dispose()));
  });
  return {
    done,
    subscribers,
    connections,
    dropSockets: () => {
      for (const client of clients) client.terminate();
    },
    stopMutations: async () => {
      mutating = false;
      await mutationLoop;
    },
    stop: () => {
      running = false;
    },
  };
}
