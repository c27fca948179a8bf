// Compute Optimizer through the unmodified SDK client (awsJson1_0): enrollment shapes, the organization-wide scan
// across pages, errors as the SDK parses them, and UpdateEnrollmentStatus's Pending → Active transition.
import {
  GetEnrollmentStatusCommand,
  GetEnrollmentStatusesForOrganizationCommand,
  paginateGetEnrollmentStatusesForOrganization,
  UpdateEnrollmentStatusCommand,
  type AccountEnrollmentStatus,
  type ComputeOptimizerClient,
  type GetEnrollmentStatusesForOrganizationCommandInput,
} from '@aws-sdk/client-compute-optimizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  creationsSettled,
  expectSdkError,
  listAllAccounts,
  MANAGEMENT,
  pollUntil,
  sdkFailure,
  startContractEmulator,
  type Clients,
  type ContractEmulator,
} from './contract-fixture.js';

const DELAY_MS = 300;

let emulator: ContractEmulator;
let management: Clients;

beforeAll(async () => {
  emulator = await startContractEmulator({ delayMs: DELAY_MS });
  management = emulator.clients();
  await creationsSettled(management.organizations);
});

afterAll(async () => {
  await emulator.close();
});

async function memberStatuses(client: ComputeOptimizerClient, pageSize = 1000): Promise<AccountEnrollmentStatus[]> {
  const statuses: AccountEnrollmentStatus[] = [];
  for await (const page of paginateGetEnrollmentStatusesForOrganization({ client, pageSize }, {})) {
    statuses.push(...(page.accountEnrollmentStatuses ?? []));
  }
  return statuses;
}

/** A member the management account can assume into, with the given enrollment status. */
async function memberWith(status: string): Promise<{ id: string; clients: Clients }> {
  for (const entry of await memberStatuses(management.computeOptimizer)) {
    if (entry.status !== status) continue;
    try {
      return { id: entry.accountId!, clients: await emulator.clientsAsMember(entry.accountId!) };
    } catch {
      // the demo's one member without a role
    }
  }
  throw new Error(`no assumable member is ${status}`);
}

describe('GetEnrollmentStatus through the Compute Optimizer client', () => {
  it('reports the management account Active, members enrolled, and the count of members opted in', async () => {
    const status = await management.computeOptimizer.send(new GetEnrollmentStatusCommand({}));
    const active = (await memberStatuses(management.computeOptimizer)).filter((entry) => entry.status === 'Active').length;
    expect(status).toMatchObject({ status: 'Active', memberAccountsEnrolled: true, numberOfMemberAccountsOptedIn: active });
    expect(status.lastUpdatedTimestamp).toBeInstanceOf(Date);
  });
});

describe('GetEnrollmentStatusesForOrganization through the Compute Optimizer client', () => {
  it('scans every member, not the management account, across pages of the SDK paginator', async () => {
    const members = (await listAllAccounts(management.organizations)).map((account) => account.Id).filter((id) => id !== MANAGEMENT);
    const statuses = await memberStatuses(management.computeOptimizer, 5);
    expect(statuses.map((entry) => entry.accountId)).toEqual(members);
    for (const entry of statuses) {
      expect(['Active', 'Inactive', 'Pending', 'Failed']).toContain(entry.status);
      // Only an account that never opted in or out (one CreateAccount just added) has no timestamp.
      if (entry.status !== 'Inactive' || entry.lastUpdatedTimestamp !== undefined) {
        expect(entry.lastUpdatedTimestamp).toBeInstanceOf(Date);
      }
    }
  });

  it('filters by status', async () => {
    const { accountEnrollmentStatuses } = await management.computeOptimizer.send(
      new GetEnrollmentStatusesForOrganizationCommand({ filters: [{ name: 'Status', values: ['Failed'] }] }),
    );
    expect(accountEnrollmentStatuses!.length).toBeGreaterThan(0);
    for (const entry of accountEnrollmentStatuses!) expect(entry).toMatchObject({ status: 'Failed', statusReason: expect.any(String) });
  });

  it('answers invalid maxResults, filters or tokens with InvalidParameterValueException 400', async () => {
    const send = (input: GetEnrollmentStatusesForOrganizationCommandInput) =>
      sdkFailure(management.computeOptimizer.send(new GetEnrollmentStatusesForOrganizationCommand(input)));
    expectSdkError(await send({ maxResults: 1001 }), 'InvalidParameterValueException', 400);
    expectSdkError(await send({ filters: [{ name: 'Status', values: ['Enrolled' as 'Active'] }] }), 'InvalidParameterValueException', 400);
    expectSdkError(await send({ nextToken: 'forged' }), 'InvalidParameterValueException', 400);
  });

  it('denies a member with AccessDeniedException 403', async () => {
    const { clients } = await memberWith('Active');
    expectSdkError(
      await sdkFailure(clients.computeOptimizer.send(new GetEnrollmentStatusesForOrganizationCommand({}))),
      'AccessDeniedException',
      403,
    );
  });
});

describe('UpdateEnrollmentStatus through the Compute Optimizer client', () => {
  it('takes a member from Inactive through Pending to Active, and out again at once', async () => {
    const { clients } = await memberWith('Inactive');
    const optIn = await clients.computeOptimizer.send(new UpdateEnrollmentStatusCommand({ status: 'Active' }));
    expect(optIn.status).toBe('Pending');
    const enrolled = await pollUntil(
      () => clients.computeOptimizer.send(new GetEnrollmentStatusCommand({})),
      (status) => status.status !== 'Pending',
    );
    expect(enrolled).toMatchObject({ status: 'Active', memberAccountsEnrolled: false });
    const optOut = await clients.computeOptimizer.send(new UpdateEnrollmentStatusCommand({ status: 'Inactive' }));
    expect(optOut.status).toBe('Inactive');
  });

  it('enrolls every member when the management account sets includeMemberAccounts', async () => {
    await management.computeOptimizer.send(new UpdateEnrollmentStatusCommand({ status: 'Inactive' }));
    const answer = await management.computeOptimizer.send(
      new UpdateEnrollmentStatusCommand({ status: 'Active', includeMemberAccounts: true }),
    );
    expect(answer.status).toBe('Pending');
    const statuses = await pollUntil(
      () => memberStatuses(management.computeOptimizer),
      (entries) => entries.every((entry) => entry.status === 'Active'),
    );
    const status = await management.computeOptimizer.send(new GetEnrollmentStatusCommand({}));
    expect(status).toMatchObject({ status: 'Active', memberAccountsEnrolled: true, numberOfMemberAccountsOptedIn: statuses.length });
  });

  it('answers a status it cannot set, or includeMemberAccounts from a member, with InvalidParameterValueException 400', async () => {
    expectSdkError(
      await sdkFailure(management.computeOptimizer.send(new UpdateEnrollmentStatusCommand({ status: 'Pending' }))),
      'InvalidParameterValueException',
      400,
    );
    const { clients } = await memberWith('Active');
    expectSdkError(
      await sdkFailure(clients.computeOptimizer.send(new UpdateEnrollmentStatusCommand({ status: 'Active', includeMemberAccounts: true }))),
      'InvalidParameterValueException',
      400,
    );
  });
});
