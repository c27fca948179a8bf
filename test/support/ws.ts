// A real graphql-ws client for tests, with helpers to wait for the events a test expects.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T = any> {
  readonly events: T[];
  /** Errors of the stream itself (it ended with an error). */
  readonly errors: unknown[];
  /** GraphQL errors that came inside events (a field that failed for that event). */
  readonly fieldErrors: unknown[];
  completed: boolean;
  /** Resolves with the first event (already received or to come) that matches. */
  waitFor(predicate: (event: T) => boolean, what?: string, timeoutMs?: number): Promise<T>;
  waitForCompletion(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

/** Subscribes and records every `next` payload's data, and the field errors that came with it. */
export function record<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Received<T> {
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  const received: Received<T> = {
    events: [],
    errors: [],
    fieldErrors: [],
    completed: false,
    waitFor(predicate, what = 'an event', timeoutMs = 20_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = received.events.find(predicate);
          if (found !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.events).slice(0, 2_000)} errors ${JSON.stringify(received.errors)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    waitForCompletion(timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.completed) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error('subscription did not complete')), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    unsubscribe: () => undefined,
  };
  received.unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (payload) => {
        if (payload.errors) received.fieldErrors.push(...payload.errors);
        received.events.push(payload.data as T);
        notify();
      },
      error: (error) => {
        received.errors.push(error);
        notify();
      },
      complete: () => {
        received.completed = true;
        notify();
      },
    },
  );
  return received;
}
