// The pages' GraphQL transport: typed documents over HTTP (fetch) and over graphql-ws, both to this origin.
// graphql-ws reconnects for ever with a capped backoff and re-subscribes by itself, so a page outlives a restart.
// On a server that requires authentication the page is opened as /#token=<token>: the fragment never reaches the
// server or its logs, and the token goes out as `Authorization: Bearer` (HTTP) and in connection_init (graphql-ws).
// A server in trusted-documents mode runs only documents sent by their manifest id: the first PERSISTED_QUERY_NOT_FOUND
// switches the page to sending ids (the generated documents carry them), and it stays so.
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../../examples/generated/graphql.js';
import { graphqlHttpUrl, graphqlWsUrl } from './endpoint.js';

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

/** The error code of a server that wants manifest ids instead of document text. */
const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
let sendDocumentIds = false;

/** Whether operations currently go out as manifest ids. */
export function sendsDocumentIds(): boolean {
  return sendDocumentIds;
}

/** Whether errors say the server runs trusted documents only; from then on operations go out as ids. */
export function switchToDocumentIdsIfAsked(errors: readonly GraphQLErrorPayload[] | unknown): boolean {
  const asked = Array.isArray(errors) && errors.some((error: GraphQLErrorPayload) => error?.extensions?.code === PERSISTED_QUERY_NOT_FOUND);
  if (asked) sendDocumentIds = true;
  return asked;
}

function documentIdOf(document: TypedDocumentString<unknown, unknown>): string | undefined {
  const hash: unknown = document.__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** The operation as the server wants it: its text, or its manifest id in trusted-documents mode. */
function operationOf(document: TypedDocumentString<unknown, unknown>): { query: string } | { documentId: string } {
  const documentId = documentIdOf(document);
  return sendDocumentIds && documentId !== undefined ? { documentId } : { query: document.toString() };
}

/** Variables are optional exactly when the operation declares none required. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** POSTs one operation; an HTTP failure without a GraphQL body becomes a thrown Error. */
export async function execute<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  ...[variables]: VariablesArgument<TVariables>
): Promise<GraphQLResult<TData>> {
  const send = async (): Promise<GraphQLResult<TData>> => {
    const response = await fetch(graphqlHttpUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authorization() },
      body: JSON.stringify({ ...operationOf(document as TypedDocumentString<unknown, unknown>), variables }),
    });
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) throw new Error(`The API answered ${response.status} ${response.statusText}.`);
    return (await response.json()) as GraphQLResult<TData>;
  };
  const sentIds = sendDocumentIds;
  const result = await send();
  return switchToDocumentIdsIfAsked(result.errors) && !sentIds ? send() : result;
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
  const operation = operationOf(document as TypedDocumentString<unknown, unknown>);
  // graphql-ws requires a `query`; statusgraph reads an empty one next to a documentId as absent.
  const payload = 'documentId' in operation ? { query: '', documentId: operation.documentId } : operation;
  return client.subscribe<TData>(
    { ...payload, variables: variables as Record<string, unknown> },
    { next: (result) => sink.next(result as GraphQLResult<TData>), error: sink.error, complete: sink.complete ?? (() => undefined) },
  );
}
