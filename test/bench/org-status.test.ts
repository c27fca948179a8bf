// Keeps the benchmark code from rotting: benchmark 1 at a small size, end to end — the emulator, statusgraph and the
// user's script in their own processes, as `npm run bench` runs them — and its report.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchOrgStatus, callBudget, callDifferences, expectedColdCalls, refusalsOf, summarizeOrgStatus, type OrgStatusResult } from '../../bench/org-status.js';
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
    expect(row!.callDifferences).toEqual([]);
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
    // Each size's runs record the machine's load, which the section prints beside the figures.
    expect(section).toMatch(/Load averages during the measurements \(`uptime`\) — Node v\d+\.\d+\.\d+, 1 minute, at the start → end of a size's runs with default settings: \d+\.\d → \d+\.\d at 20/);
  });

  it('sets the run with the pacing lifted beside the script\'s CPU per call', async () => {
    const section = await reportOrgStatus({ results, tuned: results, tunedEnv: { STATUSGRAPH_AWS_RATE_LIMIT: '10000' }, runs: 1, latencyMs: 0, command: 'npm run bench', chartDirectory });
    expect(section).toContain("| accounts | cold: calls | cold wall | statusgraph CPU | CPU per AWS call | script's CPU per AWS call |");
    expect(section).toContain('STATUSGRAPH_AWS_RATE_LIMIT=10000');
  });
});

describe("benchmark 1's call check", () => {
  // 5,000 accounts: the page shows 39 of the 200 suspended or closing members; the summary counts all of them and the
  // one member whose role AssumeRole refuses.
  const body = {
    data: {
      organization: {
        statusSummary: {
          accountStates: [{ value: 'ACTIVE', count: 4_775 }, { value: 'SUSPENDED', count: 100 }, { value: 'CLOSED', count: 50 }, { value: 'PENDING_CLOSURE', count: 50 }, { value: 'PENDING_ACTIVATION', count: 25 }],
          sources: [
            { source: 'FLEETWISE_REGISTRATION', counts: [{ value: 'NONE', count: 2_351 }, { value: 'REGISTRATION_SUCCESS', count: 2_448 }, { value: 'ERROR', count: 201 }] },
            { source: 'COMPUTE_OPTIMIZER_ENROLLMENT', counts: [{ value: 'ERROR', count: 7 }, { value: 'ACTIVE', count: 4_993 }] },
          ],
        },
      },
    },
    errors: Array.from({ length: 39 }, () => ({ message: 'denied', extensions: { code: 'AWS_ACCESS_DENIED' } })),
  };
  const result = { accounts: 5_000, creationRequests: 3_800 };
  const measuredCalls = {
    'organizations:DescribeOrganization': 1,
    'organizations:ListAccounts': 250,
    'organizations:ListCreateAccountStatus': 190,
    'sts:AssumeRole': 4_799,
    'iotfleetwise:GetRegisterAccountStatus': 4_799,
    'compute-optimizer:GetEnrollmentStatusesForOrganization': 5,
    'compute-optimizer:GetEnrollmentStatus': 1,
  };
  const run = (calls: Record<string, number>) => ({
    coldCalls: Object.values(calls).reduce((sum, each) => sum + each, 0),
    coldCallsByOperation: calls,
    coldMs: 1,
    coldCpuMs: 1,
    warmCalls: 0,
    warmMs: 1,
    unexpectedErrors: 0,
    ...refusalsOf(body),
  });

  it('counts refused and suspended or closing members over the whole organization, not the page', () => {
    expect(refusalsOf(body)).toEqual({ deniedAccounts: 201, inactiveAccounts: 200 });
  });

  it('expects the budget less one FleetWise call per refused account and one AssumeRole per inactive member', () => {
    const row = { budget: callBudget(result.accounts, result.creationRequests), ...refusalsOf(body) };
    expect(row.budget).toBe(10_446);
    expect(expectedColdCalls(row)).toBe(run(measuredCalls).coldCalls);
    expect(callDifferences(result, run(measuredCalls))).toEqual([]);
  });

  it('names the operation whose calls are off', () => {
    expect(callDifferences(result, run({ ...measuredCalls, 'sts:AssumeRole': 4_800, 'sts:GetCallerIdentity': 1 }))).toEqual([
      'sts:AssumeRole: 4800, expected 4799',
      'sts:GetCallerIdentity: 1, expected 0',
    ]);
  });
});
