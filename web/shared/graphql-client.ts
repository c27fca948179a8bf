// The pages' GraphQL transport: typed documents over HTTP (fetch) and over graphql-ws, both to this origin.
// graphql-ws reconnects for ever with a capped backoff and re-subscribes by itself, so a page outlives a restart.
// On a server that requires authentication the page is opened as /#token=<token>: the fragment never reaches the
// server or its logs, and the token goes out as `Authorization: Bearer` (HTTP) and in connection_init (graphql-ws).
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../../examples/generated/graphql';
import { graphqlHttpUrl, graphqlWsUrl } from './endpoint';

export interface GraphQLErrorPayload {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

export interface GraphQLResult<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLErrorPayload[];
}

/** The bearer token from the page's fragment (#token=…), if any. */
export function pageToken(location: Location = window.location): string | undefined {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? undefined : token;
}

function authorization(): Record<string, string> {
  const token = pageToken();
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** Variables are optional exactly when the operation declares none required. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** POSTs one operation; an HTTP failure without a GraphQL body becomes a thrown Error. */
export async function execute<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  ...[variables]: VariablesArgument<TVariables>
): Promise<GraphQLResult<TData>> {
  const response = await fetch(graphqlHttpUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authorization() },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) throw new Error(`The API answered ${response.status} ${response.statusText}.`);
  return (await response.json()) as GraphQLResult<TData>;
}

/** Longest wait between reconnection attempts. @default 10_000 // 10 seconds */
const MAX_RETRY_WAIT_MS = 10_000;
/** First wait; doubles per failed attempt up to MAX_RETRY_WAIT_MS. @default 500 // ms */
const FIRST_RETRY_WAIT_MS = 500;
/** Ping interval that notices a dead connection the operating system has not reported. @default 15_000 // 15 seconds */
const KEEP_ALIVE_MS = 15_000;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export function createLiveClient(onState: (state: ConnectionState) => void): Client {
  let everConnected = false;
  return createClient({
    url: graphqlWsUrl(),
    connectionParams: authorization,
    lazy: true,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    // A restarting server closes sockets with codes graphql-ws would otherwise treat as final.
    shouldRetry: () => true,
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(FIRST_RETRY_WAIT_MS * 2 ** retries, MAX_RETRY_WAIT_MS) * (0.75 + Math.random() / 2))),
    on: {
      connecting: () => onState(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        onState('connected');
      },
      closed: () => {
        if (everConnected) onState('reconnecting');
      },
    },
  });
}

/** Subscribes with a typed document; returns the unsubscribe function. */
export function subscribe<TData, TVariables>(
  client: Client,
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  sink: { next(result: GraphQLResult<TData>): void; error(error: unknown): void; complete?(): void },
): () => void {
  return client.subscribe<TData>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    { next: (result) => sink.next(result as GraphQLResult<TData>), error: sink.error, complete: sink.complete ?? (() => undefined) },
  );
}
