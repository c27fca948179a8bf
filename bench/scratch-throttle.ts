import { ORG_STATUS_QUERY } from './org-status.js';
import { startEmulatorProcess, startStatusGraphProcess, useCompiledStatusGraph } from './support/processes.js';
const runs = Number(process.argv[2] ?? 1);
const env = JSON.parse(process.argv[3] ?? '{}');
await useCompiledStatusGraph();
const emulator = await startEmulatorProcess({ memberAccounts: 999, delayMs: 3_600_000 });
try {
  await emulator.setFaults({ latencyMs: 25, tpsLimit: 50 });
  for (let run = 0; run < runs; run++) {
    const server = await startStatusGraphProcess(emulator.endpoint, env);
    try {
      await emulator.resetCalls();
      const t = performance.now();
      const answer = await server.gql(ORG_STATUS_QUERY, { first: 1000 });
      const wall = performance.now() - t;
      const requests = await emulator.calls();
      const text = await (await fetch(new URL('/metrics', server.url))).text();
      const calls: Record<string, number> = {};
      const attempts: Record<string, number> = {};
      for (const m of text.matchAll(/^statusgraph_aws_requests_total\{([^}]*)\} (\S+)$/gm)) {
        const op = /operation="([^"]*)"/.exec(m[1]!)![1]!; const svc = /service="([^"]*)"/.exec(m[1]!)![1]!; const outcome = /outcome="([^"]*)"/.exec(m[1]!)![1]!;
        calls[`${svc}:${op}:${outcome}`] = (calls[`${svc}:${op}:${outcome}`] ?? 0) + Number(m[2]);
      }
      for (const m of text.matchAll(/^statusgraph_aws_attempts_total\{([^}]*)\} (\S+)$/gm)) attempts[m[1]!] = Number(m[2]);
      const errors = (answer.errors ?? []).filter((e) => e.extensions?.code !== 'AWS_ACCESS_DENIED').length;
      console.log(JSON.stringify({ wall: Math.round(wall), errors, requests, calls, attempts }));
    } finally { await server.stop(); }
  }
} finally { await emulator.stop(); }
