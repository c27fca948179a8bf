// Keeps the benchmark code from rotting: benchmark 1 at a small size, end to end — the emulator, statusgraph and the
// user's script in their own processes, as `npm run bench` runs them — and its report.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchOrgStatus, callBudget, expectedColdCalls, summarizeOrgStatus, type OrgStatusResult } from '../../bench/org-status.js';
import { reportOrgStatus } from '../../bench/org-status-report.js';

describe('benchmark 1 at 20 accounts', () => {
  let results: OrgStatusResult[];
  let chartDirectory: string;

  beforeAll(async () => {
    chartDirectory = await mkdtemp(join(tmpdir(), 'statusgraph-bench-test-'));
    results = await benchOrgStatus({ sizes: [20], runs: 1, latencyMs: 0 }, () => undefined);
  }, 120_000);
  afterAll(() => rm(chartDirectory, { recursive: true, force: true }));

  it('counts the call budget of architecture §2 plus the one DescribeOrganization', () => {
    // 20 accounts with 7 creation requests: 1 ListAccounts page, 1 ListCreateAccountStatus page, 1 enrollment scan,
    // 1 GetEnrollmentStatus, 19 AssumeRole, 20 GetRegisterAccountStatus, 1 DescribeOrganization.
    expect(callBudget(20, 7)).toBe(44);
    expect(callBudget(1_000, 700)).toBe(50 + 35 + 1 + 1 + 999 + 1_000 + 1);
  });

  it('measures a cold query at the budget, less one FleetWise call per member whose role is refused', () => {
    const [row] = results.map(summarizeOrgStatus);
    expect(row!.accounts).toBe(20);
    expect(row!.unexpectedErrors).toBe(0);
    expect(row!.coldCalls).toBe(expectedColdCalls(row!));
    expect(row!.warmCalls).toBeLessThan(row!.coldCalls);
  });

  it('measures the user script making more calls than statusgraph for the same statuses', () => {
    const [row] = results.map(summarizeOrgStatus);
    // Per member: AssumeRole, GetRegisterAccountStatus and GetEnrollmentStatus, where statusgraph reads every enrollment in one scan.
    expect(row!.scriptCalls).toBeGreaterThan(row!.coldCalls);
    // Its CPU is measured too: what the SDK clients cost per call with nothing around them.
    expect(row!.scriptCpuMs).toBeGreaterThan(0);
  });

  it('writes a table and a chart', async () => {
    const section = await reportOrgStatus({ results, runs: 1, latencyMs: 0, command: 'npm run bench', chartDirectory });
    expect(section).toContain('| accounts | call budget |');
    expect(section).toMatch(/Target: calls equal to the budget — Node v\d+\.\d+\.\d+: met/);
    expect(existsSync(join(chartDirectory, 'bench-org-status.svg'))).toBe(true);
  });

  it('sets the run with the pacing lifted beside the script\'s CPU per call', async () => {
    const section = await reportOrgStatus({ results, tuned: results, tunedEnv: { STATUSGRAPH_AWS_RATE_LIMIT: '10000' }, runs: 1, latencyMs: 0, command: 'npm run bench', chartDirectory });
    expect(section).toContain("| accounts | cold: calls | cold wall | statusgraph CPU | CPU per AWS call | script's CPU per AWS call |");
    expect(section).toContain('STATUSGRAPH_AWS_RATE_LIMIT=10000');
  });
});
