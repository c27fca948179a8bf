// The subscriber of benchmark 5's replay (bench/history.ts), run in a process of its own as a real subscriber is, so
// the server's process does only the server's work: `node --import tsx bench/support/replay-subscriber.ts <graphql
// url> <events>` subscribes with `after: "0"`, takes that many events and prints one JSON line — how many, how fast,
// whether in cursor order, whether every cursor from 1 to <events> came (the filled log's ids), when (epoch ms) the
// half-way event came (the server's memory is sampled against it), and its own CPU per event.
import { wsClient } from '../../test/support/ws.js';

const [url, expectedArgument] = process.argv.slice(2);
if (!url || !expectedArgument) throw new Error('usage: replay-subscriber.ts <graphql url> <events>');
const expected = Number(expectedArgument);
const QUERY = 'subscription { accountStatusChanged(sources: [COMPUTE_OPTIMIZER_ENROLLMENT], after: "0") { cursor } }';

const client = wsClient(url);
const started = performance.now();
const cpuBefore = process.cpuUsage();
let received = 0;
let last = 0;
let inOrder = true;
/** Events of the filled log (cursors 1 to `expected`) received: in order and all of them means each exactly once. */
let ofTheLog = 0;
let halfwayAt = 0;
let seconds = 0;
await new Promise<void>((resolve, reject) => {
  client.subscribe<{ accountStatusChanged: { cursor: string } }>(
    { query: QUERY },
    {
      next: (payload) => {
        const cursor = Number(payload.data!.accountStatusChanged.cursor);
        if (cursor <= last) inOrder = false;
        last = cursor;
        if (cursor <= expected) ofTheLog++;
        if (++received === Math.floor(expected / 2)) halfwayAt = Date.now();
        if (received === expected) {
          seconds = (performance.now() - started) / 1000;
          resolve();
        }
      },
      error: reject,
      complete: () => reject(new Error(`completed after ${received} events`)),
    },
  );
});
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ events: expected, seconds, inOrder, all: ofTheLog === expected, halfwayAt, cpuMicrosPerEvent: (cpu.user + cpu.system) / received }));
await client.dispose();
process.exit(0);
