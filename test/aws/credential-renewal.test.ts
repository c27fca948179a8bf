// Credentials that recover: after the endpoint forgets every session (as a restarted emulator, or a revoked session on
// AWS, would), each member's next read re-assumes its role once and succeeds — one statusgraph call per member.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialRenewalEvent } from '../../src/aws/index.js';
import { AwsCallError, type AwsServices } from '../../src/aws/index.js';
import { MANAGEMENT_ACCOUNT_ID, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;
let services: AwsServices;
let members: string[];
const renewals: CredentialRenewalEvent[] = [];

beforeAll(async () => {
  harness = await startHarness({ memberAccounts: 12 });
  services = harness.servicesWith({ onCredentialRenewal: (event) => renewals.push(event) });
  const accounts = await services.listAccounts();
  members = accounts
    .filter((account) => account.id !== MANAGEMENT_ACCOUNT_ID && account.state === 'ACTIVE' && account.joinedMethod === 'CREATED')
    .map((account) => account.id);
});
afterAll(() => harness.close());
beforeEach(async () => {
  renewals.length = 0;
  await harness.setFaults({});
});

/** Every member's us-east-1 registration; a member whose role cannot be assumed (the demo has one) fails alike every time. */
async function readAll(): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(members.map((member) => services.getFleetwiseRegistration(member, 'us-east-1')));
}

function outcomes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as AwsCallError).code));
}

describe('credentials that recover', () => {
  it('re-assumes each member role once after the endpoint forgot every session, and the reads succeed', async () => {
    const before = outcomes(await readAll());
    const readable = before.filter((outcome) => outcome === 'ok').length;
    expect(readable).toBeGreaterThanOrEqual(3);

    expect(harness.emulator.invalidateSessions()).toBeGreaterThanOrEqual(readable);
    await harness.resetCalls();
    expect(outcomes(await readAll())).toEqual(before);

    const calls = await harness.calls();
    // One refused read, one AssumeRole and one read again per member that had a session; none for the one without a role.
    expect(calls['sts:AssumeRole']).toBe(readable + (members.length - readable));
    expect(calls['iotfleetwise:GetRegisterAccountStatus']).toBe(2 * readable);
    expect(renewals.filter((event) => event.outcome === 'recovered')).toHaveLength(readable);
    expect(renewals.every((event) => event.account === 'member')).toBe(true);

    // And the new credentials hold: the next round costs one call per member, no AssumeRole.
    await harness.resetCalls();
    expect(outcomes(await readAll())).toEqual(before);
    expect((await harness.calls())['sts:AssumeRole'] ?? 0).toBe(members.length - readable);
  });

  it('renews once for all the calls of one member refused at the same moment', async () => {
    const member = members[1]!;
    await services.getFleetwiseRegistration(member, 'us-east-1');
    harness.emulator.invalidateSessions();
    await harness.resetCalls();

    const reads = await Promise.all([
      services.getFleetwiseRegistration(member, 'us-east-1'),
      services.getFleetwiseRegistration(member, 'eu-central-1'),
      services.getEnrollmentStatus(member),
      services.getFleetwiseRegistration(member, 'ap-south-1'),
    ]);
    expect(reads).toHaveLength(4);
    expect((await harness.calls())['sts:AssumeRole']).toBe(1);
  });

  it('fails typed, once renewed, when the new credentials are refused too, and reports it', async () => {
    const member = members[0]!;
    await services.getEnrollmentStatus(member);
    await services.getEnrollmentStatus(member);
    await harness.setFaults({ refuseCredentialsRate: 1, operations: ['compute-optimizer:GetEnrollmentStatus'], accounts: [member] });
    await harness.resetCalls();

    const failure = await services.getEnrollmentStatus(member).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ code: 'UnrecognizedClientException', credentialsRefused: true, accountId: member });
    const calls = await harness.calls();
    expect(calls['compute-optimizer:GetEnrollmentStatus']).toBe(2);
    expect(calls['sts:AssumeRole']).toBe(1);
    expect(renewals.filter((event) => event.outcome === 'refused')).toEqual([{ account: 'member', accountId: member, outcome: 'refused' }]);
  });

  it('does not renew the fixed keys of the management account: its refusal fails at once', async () => {
    await harness.setFaults({ refuseCredentialsRate: 1, operations: ['sts:GetCallerIdentity'] });
    await harness.resetCalls();
    await expect(services.getCallerIdentity()).rejects.toMatchObject({ code: 'InvalidClientTokenId', credentialsRefused: true });
    expect((await harness.calls())['sts:GetCallerIdentity']).toBe(1);
    expect(renewals).toEqual([]);
  });
});
