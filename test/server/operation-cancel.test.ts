// An HTTP operation's cancellation (server/operation-cancel.ts) on a real node:http server: the response's close is
// watched only once a read asks for the operation's signal, and a client that hung up before that is still seen.
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cancelWhenClosed, operationCancel, type OperationCancel } from '../../src/server/operation-cancel.js';

type Handler = (req: IncomingMessage, res: ServerResponse, operation: OperationCancel) => void;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server whose every request gets an operation that watches its response once the signal is made. */
async function serve(handler: Handler): Promise<number> {
  server = createServer((req, res) => handler(req, res, operationCancel(undefined, (cancel) => cancelWhenClosed(res, cancel))));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Sends a request that the server never answers, and hangs up once `received` says the server has it. */
function hangUpOnce(port: number, received: Promise<unknown>): void {
  const req = request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': '2' } });
  req.on('error', () => undefined);
  req.write('{');
  void received.then(() => req.destroy());
}

/** A promise with its resolve. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("an HTTP operation's cancellation", () => {
  it('adds no listener to a response answered without reading the signal (a warm request)', async () => {
    const counts: number[] = [];
    const port = await serve((_req, res) => {
      const before = res.listenerCount('close');
      res.end('{}');
      counts.push(res.listenerCount('close') - before);
    });
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(counts).toEqual([0]);
  });

  it('aborts the signal at once when the client hung up before a read asked for it', async () => {
    const received = deferred();
    const closed = deferred();
    let signal: AbortSignal | undefined;
    const port = await serve((_req, res, operation) => {
      res.once('close', () => {
        signal = operation.signal; // the first read to AWS comes after the client has gone
        closed.resolve();
      });
      received.resolve();
    });
    hangUpOnce(port, received.promise);
    await closed.promise;
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toMatchObject({ extensions: { code: 'CANCELLED' } });
  });

  it('aborts a signal made before the client hung up, and leaves one whose response was sent whole', async () => {
    const received = deferred();
    const closed = deferred();
    const signals: AbortSignal[] = [];
    let served = 0;
    const port = await serve((req, res, operation) => {
      signals.push(operation.signal);
      res.once('close', () => {
        if (++served === 2) closed.resolve();
      });
      if (req.method === 'GET') res.end('{}');
      else received.resolve();
    });
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    hangUpOnce(port, received.promise);
    await closed.promise;
    expect(signals.map((signal) => signal.aborted)).toEqual([false, true]);
  });
});
