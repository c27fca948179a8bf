// Helpers for the hardening tests: HTTP requests with any headers and body, and a raw graphql-transport-ws socket
// whose every message and close code a test can see (the graphql-ws client would hide close codes in retries).
import WebSocket from 'ws';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** POSTs `body` (JSON-encoded unless a string) to `url` with the given headers. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answer(response);
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return answer(await fetch(url, { headers: { accept: 'application/graphql-response+json, application/json', ...headers } }));
}

async function answer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface RawSocket {
  readonly socket: WebSocket;
  readonly messages: any[];
  /** Resolves with the close code and reason, whoever closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message (received or to come) that matches. */
  next(predicate: (message: any) => boolean, timeoutMs?: number): Promise<any>;
}

export async function openSocket(httpUrl: string, options: { autoPong?: boolean } = {}): Promise<RawSocket> {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong: options.autoPong ?? true });
  const messages: any[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.forEach((waiter) => waiter());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      waiters.forEach((waiter) => waiter());
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (found !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          } else if (socket.readyState === WebSocket.CLOSED) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`socket closed before the expected message; received ${JSON.stringify(messages)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; received ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Opens a socket and completes the graphql-transport-ws handshake with the given connection_init payload. */
export async function connect(httpUrl: string, payload?: Record<string, unknown>): Promise<RawSocket> {
  const raw = await openSocket(httpUrl);
  raw.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
  await raw.next((message) => message.type === 'connection_ack');
  return raw;
}

/** Runs one operation over a connected socket and resolves with its first next or error message. */
export async function runOverSocket(raw: RawSocket, id: string, payload: Record<string, unknown>): Promise<any> {
  raw.send({ id, type: 'subscribe', payload });
  return raw.next((message) => message.id === id && (message.type === 'next' || message.type === 'error'));
}
