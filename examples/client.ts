// A small typed statusgraph client, for frontend teams to copy: the generated documents (examples/generated) over
// HTTP for queries and mutations, and over graphql-ws for subscriptions. TypeScript checks every variable and
// every field read against schema.graphql.
//
//   npx tsx examples/client.ts [http://localhost:4000/graphql]
//
// prints the organization overview, then registers one unregistered account with IoT FleetWise and follows its
// status live until the registration settles.
import { pathToFileURL } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  OrganizationOverviewDocument,
  RegisterFleetwiseAccountDocument,
  WatchAccountStatusDocument,
  type TypedDocumentString,
} from './generated/graphql.js';

export interface GraphQLError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string };
}

/** An operation that produced no data: a malformed request, a bad id, or a failure of the whole operation. */
export class OperationError<TData> extends Error {
  constructor(
    readonly errors: readonly GraphQLError[],
    readonly data: TData | null | undefined,
  ) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
    this.name = 'OperationError';
  }
}

type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/**
 * What an operation answered. One account's failure never fails the rest: its field is null and `errors` says why,
 * at that field's path.
 */
export interface Answer<TData> {
  readonly data: TData;
  readonly errors: readonly GraphQLError[];
}

export interface StatusGraphClient {
  /** Runs a query or mutation over HTTP; throws OperationError when there is no data at all. */
  request<TData, TVariables>(document: TypedDocumentString<TData, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<Answer<TData>>;
  /** Runs a subscription over graphql-ws; ends when the server completes it or the loop breaks. */
  subscribe<TData, TVariables>(document: TypedDocumentString<TData, TVariables>, ...variables: VariablesArgument<TVariables>): AsyncIterableIterator<TData>;
  close(): Promise<void>;
}

/** `url` is the HTTP endpoint (…/graphql); subscriptions use the same path over ws(s). */
export function createStatusGraphClient(url: string): StatusGraphClient {
  const wsUrl = new URL(url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws: Client | undefined;

  return {
    async request(document, ...[variables]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLError[] };
      if (body.data == null) {
        if (body.errors?.length) throw new OperationError(body.errors, body.data as never);
        throw new Error(`statusgraph answered ${response.status} without data`);
      }
      return { data: body.data as never, errors: body.errors ?? [] };
    },
    subscribe(document, ...[variables]) {
      // Node 20 has no global WebSocket; `ws` is the usual one (browsers need no webSocketImpl).
      ws ??= createClient({ url: wsUrl.href, webSocketImpl: WebSocket });
      const events = ws.iterate({ query: document.toString(), variables: variables as Record<string, unknown> | undefined });
      return (async function* () {
        for await (const result of events) {
          if (result.errors?.length) throw new OperationError(result.errors as GraphQLError[], result.data as never);
          yield result.data as never;
        }
      })();
    },
    async close() {
      await ws?.dispose();
    },
  };
}

/** How long the demo follows a registration before giving up. @default 60_000 // 1 minute */
const FOLLOW_TIMEOUT_MS = 60_000;

/**
 * The demo: overview, then one FleetWise registration followed live. Returns the statuses seen, in order
 * (the first is the current state, null for "not registered").
 */
export async function runDemo(url: string, log: (line: string) => void = console.log): Promise<(string | null)[]> {
  const client = createStatusGraphClient(url);
  try {
    const overview = await client.request(OrganizationOverviewDocument, { first: 100 });
    const { organization } = overview.data;
    if (!organization) throw new Error('the server’s credentials are in no organization');
    log(`organization ${organization.id}: ${organization.accounts.totalCount} accounts, ${overview.errors.length} statuses unreadable`);
    for (const source of organization.statusSummary.sources) {
      log(`  ${source.source}${source.region ? ` (${source.region})` : ''}: ${source.counts.map(({ value, count }) => `${value} ${count}`).join(', ')}`);
    }

    // null is "never registered" only where no error explains it: an unreadable status is null too.
    const unreadable = new Set(overview.errors.filter((error) => error.path?.at(-1) === 'fleetwiseRegistration').map((error) => error.path?.[3]));
    const candidate = organization.accounts.nodes.find(
      (account, index) => account.state === 'ACTIVE' && account.fleetwiseRegistration === null && !unreadable.has(index),
    );
    if (!candidate) {
      log('every active account is registered with IoT FleetWise already');
      return [];
    }
    log(`registering ${candidate.id} with IoT FleetWise`);

    const seen: (string | null)[] = [];
    const events = client.subscribe(WatchAccountStatusDocument, { accountIds: [candidate.id], sources: ['FLEETWISE_REGISTRATION'] });
    const timeout = setTimeout(() => void events.return?.(), FOLLOW_TIMEOUT_MS);
    try {
      let registered = false;
      for await (const { accountStatusChanged: change } of events) {
        if (change.error) {
          log(`  ${change.changedAt} cannot read the status: ${change.error.code}`);
          continue;
        }
        seen.push(change.current);
        log(`  ${change.changedAt} ${change.previous ?? '(none)'} → ${change.current ?? '(none)'}`);
        if (!registered) {
          // The first event is the current state: register only once we are sure to hear what follows.
          registered = true;
          const { registerFleetwiseAccount } = (
            await client.request(RegisterFleetwiseAccountDocument, {
              input: { accountId: candidate.id, iamRoleArn: `arn:aws:iam::${candidate.id}:role/FleetWiseServiceRole` },
            })
          ).data;
          log(`  registerFleetwiseAccount answered ${registerFleetwiseAccount.accountStatus}`);
        }
        if (change.current === 'REGISTRATION_SUCCESS' || change.current === 'REGISTRATION_FAILURE') break;
      }
    } finally {
      clearTimeout(timeout);
    }
    return seen;
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runDemo(process.argv[2] ?? 'http://localhost:4000/graphql');
}
