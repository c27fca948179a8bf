// "Every error reaching a client is typed", made structural for the end-to-end tests: the stack (stack.ts) starts the
// server with this watcher on its one error exit (onClientError), so an INTERNAL_SERVER_ERROR — or an error without
// a code — sent over HTTP or WebSocket fails the test that caused it, whatever that test asserts.
import type { GraphQLFormattedError } from 'graphql';

export interface TypedErrorWatch {
  /** Give to startStatusGraph's onClientError. */
  readonly onClientError: (error: GraphQLFormattedError) => void;
  /** Throws if an untyped error was sent since the last check (or since the start). */
  check(): void;
}

export function watchTypedErrors(): TypedErrorWatch {
  const untyped: GraphQLFormattedError[] = [];
  let reported = 0;
  return {
    onClientError(error) {
      const code = error.extensions?.code;
      if (code === undefined || code === 'INTERNAL_SERVER_ERROR') untyped.push(error);
    },
    check() {
      if (untyped.length === reported) return;
      const fresh = untyped.slice(reported);
      reported = untyped.length;
      const described = fresh.map((error) => `${error.message} at ${JSON.stringify(error.path ?? [])}`).join('\n');
      throw new Error(`an untyped error reached a client (a bug: every error a client gets must carry a code):\n${described}`);
    },
  };
}
