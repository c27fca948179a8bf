// Profiling aid, not part of `npm run bench`: the SDK's own CPU per FleetWise send, in process, with an in-memory HTTP
// answer (no socket, no emulator) — a send with options (every statusgraph call carries an abort signal, so the SDK
// resolves the middleware stack per send), a send without options on a client with `cacheMiddleware` (resolved once
// per command class), and a send on a new client each time (what a client per member adds). Two rounds: the first
// includes V8's warm-up.
//
//   npx tsx bench/sdk-send-cost.ts [sends per variant=3000]
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/protocol-http';
import { GetRegisterAccountStatusCommand, IoTFleetWiseClient } from '../src/aws/fleetwise-client/index.js';

const SENDS = Number(process.argv[2] ?? 3_000);
const ANSWER = JSON.stringify({
  customerAccountId: '123456789012',
  accountStatus: 'REGISTRATION_SUCCESS',
  iamRegistrationResponse: { roleArn: 'arn:aws:iam::123456789012:role/IoTFleetWiseServiceRole', registrationStatus: 'REGISTRATION_SUCCESS' },
  creationTime: 1.7e9,
  lastModificationTime: 1.7e9,
});
const requestHandler = {
  handle: async () => ({
    response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(ANSWER)]) }),
  }),
  destroy() {},
};
const newClient = (cacheMiddleware: boolean) =>
  new IoTFleetWiseClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: requestHandler as never,
    cacheMiddleware,
  });

async function measure(label: string, send: (client: IoTFleetWiseClient) => Promise<unknown>, cacheMiddleware: boolean, clientPerSend: boolean) {
  const shared = newClient(cacheMiddleware);
  const before = process.cpuUsage();
  for (let i = 0; i < SENDS; i++) await send(clientPerSend ? newClient(cacheMiddleware) : shared);
  const used = process.cpuUsage(before);
  console.log(`${label}: ${((used.user + used.system) / 1000 / SENDS).toFixed(3)} ms of CPU per send`);
}

const withSignal = (client: IoTFleetWiseClient) => client.send(new GetRegisterAccountStatusCommand({}), { abortSignal: new AbortController().signal });
for (let round = 1; round <= 2; round++) {
  console.log(`round ${round}`);
  await measure('with an abort signal, one client', withSignal, false, false);
  await measure('without options, cached middleware, one client', (client) => client.send(new GetRegisterAccountStatusCommand({})), true, false);
  await measure('with an abort signal, a new client per send', withSignal, false, true);
}
