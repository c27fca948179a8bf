// The subscriber of benchmark 5's replay (bench/history.ts), run in a process of its own as a real subscriber is, so
// the server's process does only the server's work: `node --import tsx bench/support/replay-subscriber.ts <graphql
// url> <events>` subscribes with `after: "0"`, takes that many events and prints one JSON line — how many, how fast,
// whether in cursor order, and its own CPU per event.
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
await new Promise<void>((resolve, reject) => {
  client.subscribe<{ accountStatusChanged: { cursor: string } }>(
    { query: QUERY },
    {
      next: (payload) => {
        const cursor = Number(payload.data!.accountStatusChanged.cursor);
        if (cursor <= last) inOrder = false;
        last = cursor;
        if (++received >= expected) resolve();
      },
      error: reject,
      complete: () => reject(new Error(`completed after ${received} events`)),
    },
  );
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ events: received, seconds, inOrder, cpuMicrosPerEvent: (cpu.user + cpu.system) / received }));
await client.dispose();
process.exit(0);
