// The alternative statusgraph is measured against: the script a user writes to see where every account stands, with
// the same AWS SDK clients and no statusgraph. Written the way the SDK's documentation leads one to write it:
//   1. page through ListAccounts;
//   2. page through ListCreateAccountStatus and index it by AccountId — DescribeCreateAccountStatus needs a request id,
//      and only ListCreateAccountStatus hands those out, so there is no per-account way to the creation request;
//   3. per account, with bounded concurrency (p-queue, 10 at a time): AssumeRole into the member role (the management
//      account uses its own keys), then GetRegisterAccountStatus and GetEnrollmentStatus in that account, with a
//      FleetWise and a Compute Optimizer client made for it. A failure is recorded for that account, and the script
//      goes on. SDK defaults throughout (3 attempts, standard retries).
//
//   npx tsx bench/user-script.ts --endpoint http://127.0.0.1:4566 [--concurrency 10]
// prints one JSON line: accounts read, per-account failures (throttling apart) and the wall time.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ComputeOptimizerClient, GetEnrollmentStatusCommand } from '@aws-sdk/client-compute-optimizer';
import { OrganizationsClient, paginateListAccounts, paginateListCreateAccountStatus, type CreateAccountStatus } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { MiddlewareStack } from '@smithy/types';
import PQueue from 'p-queue';
import { GetRegisterAccountStatusCommand, IoTFleetWiseClient } from '../src/aws/fleetwise-client/index.js';

const REGION = 'us-east-1';
const MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';
/** How many accounts the script reads at once. @default 10 */
export const DEFAULT_USER_CONCURRENCY = 10;
const MANAGEMENT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface UserScriptResult {
  readonly accounts: number;
  /** AWS calls the script made (a call retried by the SDK counts once); counted for the benchmark, not by the user. */
  readonly calls: number;
  /** Accounts with at least one status the script could not read. */
  readonly failedAccounts: number;
  /** Failures that were throttling errors the SDK's retries did not absorb. */
  readonly throttlingFailures: number;
  readonly otherFailures: number;
  /** Failures that were AWS refusing a role or an action (AccessDenied): the demo organization refuses some members'
   * roles whatever the load, and statusgraph answers those as AWS_ACCESS_DENIED, so comparisons leave them out. */
  readonly refusedFailures: number;
  readonly wallMs: number;
  /** CPU time the script's process spent reading, in milliseconds: what the SDK clients cost per call, on their own. */
  readonly cpuMs: number;
}

export interface AccountStatus {
  readonly id: string;
  fleetwise?: string;
  enrollment?: string;
  creation?: CreateAccountStatus;
  errors: string[];
}

export async function readOrgStatusLikeAUser(endpoint: string, concurrency = DEFAULT_USER_CONCURRENCY): Promise<UserScriptResult> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const base = { region: REGION, endpoint, credentials: MANAGEMENT_CREDENTIALS };
  let calls = 0;
  // Instrumentation for the benchmark, not part of what a user writes: counts each call once, before the SDK retries it.
  const counted = <Client extends { middlewareStack: object }>(client: Client): Client => {
    (client.middlewareStack as MiddlewareStack<object, object>).add(
      (next) => (args) => {
        calls++;
        return next(args);
      },
      { step: 'initialize' },
    );
    return client;
  };
  const organizations = counted(new OrganizationsClient(base));
  const sts = counted(new STSClient(base));

  const accounts: { Id?: string }[] = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) accounts.push(...(page.Accounts ?? []));
  const creations = new Map<string, CreateAccountStatus>();
  for await (const page of paginateListCreateAccountStatus({ client: organizations }, {})) {
    for (const status of page.CreateAccountStatuses ?? []) if (status.AccountId) creations.set(status.AccountId, status);
  }
  const { Account: managementAccountId } = await sts.send(new GetCallerIdentityCommand({}));

  const queue = new PQueue({ concurrency });
  const results = await Promise.all(
    accounts.map((account) =>
      queue.add(async (): Promise<AccountStatus> => {
        const id = account.Id!;
        const status: AccountStatus = { id, creation: creations.get(id), errors: [] };
        let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = MANAGEMENT_CREDENTIALS;
        if (id !== managementAccountId) {
          try {
            const assumed = await sts.send(
              new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/${MEMBER_ROLE_NAME}`, RoleSessionName: 'org-status' }),
            );
            credentials = {
              accessKeyId: assumed.Credentials!.AccessKeyId!,
              secretAccessKey: assumed.Credentials!.SecretAccessKey!,
              sessionToken: assumed.Credentials!.SessionToken!,
            };
          } catch (error) {
            status.errors.push(errorName(error));
            return status;
          }
        }
        const fleetwise = counted(new IoTFleetWiseClient({ region: REGION, endpoint, credentials }));
        const computeOptimizer = counted(new ComputeOptimizerClient({ region: REGION, endpoint, credentials }));
        await Promise.all([
          fleetwise.send(new GetRegisterAccountStatusCommand({})).then(
            (answer) => (status.fleetwise = answer.accountStatus),
            (error: unknown) => {
              if (errorName(error) === 'ResourceNotFoundException') status.fleetwise = 'NOT_REGISTERED';
              else status.errors.push(errorName(error));
            },
          ),
          computeOptimizer.send(new GetEnrollmentStatusCommand({})).then(
            (answer) => (status.enrollment = answer.status),
            (error: unknown) => status.errors.push(errorName(error)),
          ),
        ]);
        fleetwise.destroy();
        computeOptimizer.destroy();
        return status;
      }),
    ),
  );
  organizations.destroy();
  sts.destroy();

  const errors = results.flatMap((result) => result.errors);
  const throttlingFailures = errors.filter((name) => THROTTLING_ERRORS.has(name)).length;
  return {
    accounts: results.length,
    calls,
    failedAccounts: results.filter((result) => result.errors.length > 0).length,
    throttlingFailures,
    otherFailures: errors.length - throttlingFailures,
    refusedFailures: errors.filter((name) => REFUSAL_ERRORS.has(name)).length,
    wallMs: performance.now() - started,
    cpuMs: cpuMillisecondsSince(cpuAtStart),
  };
}

/** The throttling error names of these four services. */
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'LimitExceededException']);

/** The names AWS gives a refused role or action in these four services. */
const REFUSAL_ERRORS = new Set(['AccessDenied', 'AccessDeniedException']);

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { endpoint: { type: 'string' }, concurrency: { type: 'string' } } });
  if (!values.endpoint) throw new Error('--endpoint is required');
  const result = await readOrgStatusLikeAUser(values.endpoint, values.concurrency ? Number(values.concurrency) : DEFAULT_USER_CONCURRENCY);
  console.log(JSON.stringify(result));
}

function cpuMillisecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1_000; // microseconds → milliseconds
}
