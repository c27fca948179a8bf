import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrgAccount } from '../../src/aws/types.js';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

/** Transitions in this emulator take this long; tests wait for them by polling, never by the clock. */
let harness: Harness;
let activeMembers: OrgAccount[];

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 40 });
  // The demo's one creation in progress adds a member when it completes; complete it, so the member list holds still.
  harness.emulator.release('creation');
  activeMembers = (await harness.services.listAccounts()).filter(
    (account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED',
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.resetCalls());

describe('getEnrollmentStatus', () => {
  it("maps the management account's enrollment, organization members included", async () => {
    expect(await harness.services.getEnrollmentStatus(MANAGEMENT_ACCOUNT_ID)).toEqual({
      accountId: MANAGEMENT_ACCOUNT_ID,
      status: 'Active',
      memberAccountsEnrolled: true,
      numberOfMemberAccountsOptedIn: expect.any(Number),
      lastUpdatedTimestamp: expect.any(Date),
    });
  });

  it("reads a member's enrollment in the member account itself", async () => {
    const member = activeMembers[0]!.id;
    const enrollment = await harness.services.getEnrollmentStatus(member);
    expect(enrollment.accountId).toBe(member);
    expect(['Active', 'Inactive', 'Pending', 'Failed']).toContain(enrollment.status);
    const calls = await harness.calls();
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(1);
    expect(calls['sts:AssumeRole']).toBe(1);
  });
});

describe('listOrganizationEnrollmentStatuses', () => {
  it('answers every member in one call of up to 1000, with no AssumeRole', async () => {
    const statuses = await harness.services.listOrganizationEnrollmentStatuses();
    const memberIds = (await harness.services.listAccounts())
      .map((account) => account.id)
      .filter((id) => id !== MANAGEMENT_ACCOUNT_ID);
    expect(new Set(statuses.map((status) => status.accountId))).toEqual(new Set(memberIds));
    const calls = await harness.calls();
    expect(calls['compute-optimizer:GetEnrollmentStatusesForOrganization']).toBe(1);
    expect(calls['sts:AssumeRole']).toBeUndefined();
  });

  it("agrees with each member's own GetEnrollmentStatus", async () => {
    const statuses = await harness.services.listOrganizationEnrollmentStatuses();
    for (const member of activeMembers.slice(0, 5)) {
      const own = await harness.services.getEnrollmentStatus(member.id);
      const fromOrganization = statuses.find((status) => status.accountId === member.id);
      expect(fromOrganization).toMatchObject({ accountId: member.id, status: own.status });
    }
  });

  it('keeps the reason of a failed enrollment and Dates for timestamps', async () => {
    const statuses = await harness.services.listOrganizationEnrollmentStatuses();
    const failed = statuses.find((status) => status.status === 'Failed');
    expect(failed).toMatchObject({ statusReason: expect.any(String), lastUpdatedTimestamp: expect.any(Date) });
  });
});

describe('updateEnrollmentStatus', () => {
  it('opts a member in: Pending at once, Active after the transition', async () => {
    const statuses = await harness.services.listOrganizationEnrollmentStatuses();
    const inactive = statuses.find(
      (status) => status.status === 'Inactive' && activeMembers.some((member) => member.id === status.accountId),
    )!;
    const updated = await harness.services.updateEnrollmentStatus({ accountId: inactive.accountId, status: 'Active' });
    expect(updated).toEqual({ accountId: inactive.accountId, status: 'Pending', statusReason: expect.any(String) });
    expect((await harness.services.getEnrollmentStatus(inactive.accountId)).status).toBe('Pending');
    expect(harness.emulator.release(`enrollment:${inactive.accountId}`)).toEqual([`enrollment:${inactive.accountId}`]);
    expect((await harness.services.getEnrollmentStatus(inactive.accountId)).status).toBe('Active');
  });
});
