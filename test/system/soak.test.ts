// The short soak CI runs: the whole stack for 90 seconds with live transitions and every fault of the schedule once
// (bench/soak/run-soak.ts; `npm run soak` runs it for 10 minutes with 1,000 accounts and 200 whole-organization
// subscribers). Here 300 accounts and 20 subscribers: everything runs in one process, and each subscriber starts with
// the current state of every status — 200 subscribers of 1,000 accounts are 600,000 first events, more than a shared
// 2-core CI machine sends in 90 seconds.
import { expect, it } from 'vitest';
import { runSoak, soakFailures } from '../../bench/soak/run-soak.js';

const SOAK_MS = 90_000;
/** The soak itself, its start and its final checks. */
const TIMEOUT_MS = 4 * 60_000;

it('answers an organization under faults and mutations with typed errors only, fresh values, and final states on every subscription', async () => {
  const report = await runSoak({ durationMs: SOAK_MS, faultPhaseMs: 3_000, memberAccounts: 300, subscribers: 20, log: (line) => console.log(`soak: ${line}`) });
  console.log(JSON.stringify(report, null, 2));
  expect(soakFailures(report)).toEqual([]);
  expect(report.freshness.checked).toBeGreaterThan(300);
  expect(report.faultPhases).toContain('IoT FleetWise down');
  expect(report.faultPhases).toContain('endpoint restart (every session invalidated)');
}, TIMEOUT_MS);
