import { ORG_STATUS_QUERY } from './org-status.js';
import { startEmulatorProcess, startStatusGraphProcess, useCompiledStatusGraph } from './support/processes.js';
const env = JSON.parse(process.argv[2] ?? '{}');
await useCompiledStatusGraph();
const emulator = await startEmulatorProcess({ memberAccounts: 999, delayMs: 3_600_000 });
try {
  await emulator.setFaults({ latencyMs: 25, tpsLimit: 50 });
  const server = await startStatusGraphProcess(emulator.endpoint, env);
  try {
    await emulator.resetCalls();
    const t = performance.now();
    let done = false;
    const q = server.gql(ORG_STATUS_QUERY, { first: 1000 }).finally(() => (done = true));
    const sample = async () => {
      const r = await emulator.calls();
      const text = await (await fetch(new URL('/metrics', server.url))).text();
      const calls: Record<string, number> = {};
      for (const m of text.matchAll(/^statusgraph_aws_requests_total\{([^}]*)\} (\S+)$/gm)) {
        const op = /operation="([^"]*)"/.exec(m[1]!)![1]!;
        calls[op] = (calls[op] ?? 0) + Number(m[2]);
      }
      const ar = r['sts:AssumeRole'] ?? 0, fw = r['iotfleetwise:GetRegisterAccountStatus'] ?? 0;
      console.log(`${((performance.now() - t) / 1000).toFixed(1)}s AssumeRole req ${ar} calls ${calls.AssumeRole ?? 0} extra ${ar - (calls.AssumeRole ?? 0)} | FW req ${fw} calls ${calls.GetRegisterAccountStatus ?? 0}`);
    };
    while (!done) { await new Promise((r) => setTimeout(r, 500)); await sample(); }
    await q;
  } finally { await server.stop(); }
} finally { await emulator.stop(); }
