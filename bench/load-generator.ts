// The load generator of the server-overhead benchmark, in its own process so that it never shares a core with the
// server it loads: autocannon POSTing one GraphQL operation for a fixed time.
//   node --import tsx bench/load-generator.ts --url … --body '{"query":…}' [--connections 20] [--seconds 5]
// prints one JSON line: requests per second (mean), latency p50/p99 in ms, errors and non-2xx answers.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    body: { type: 'string' },
    connections: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '5' },
  },
});
if (!values.url || !values.body) throw new Error('--url and --body are required');

const result = await autocannon({
  url: values.url,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: values.body,
  connections: Number(values.connections),
  duration: Number(values.seconds),
});
const summary: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
};
console.log(JSON.stringify(summary));
