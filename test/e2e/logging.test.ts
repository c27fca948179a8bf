// Logs are JSON lines with a request id per operation, and never carry emails, account names or credentials —
// checked on everything the server logs, at the most verbose level, through queries, mutations and failures.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { startStack, type Stack } from '../support/stack.js';

describe('logs', () => {
  const lines: string[] = [];
  let stack: Stack;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    stack = await startStack({ memberAccounts: 12, delayMs: 200, logger: createLogger('trace', sink) });
  });
  afterAll(() => stack?.close());

  it('never contain an email, an account name or a secret, and tag each operation with a request id', async () => {
    const listed = await stack.gql(`{ organization { managementAccountEmail accounts { nodes { id name email fleetwiseRegistration { accountStatus } } } } }`);
    const nodes: any[] = listed.data!.organization.accounts.nodes;
    const created = await stack.gql(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id accountName } }`,
      { input: { email: 'very.private.person@example.com', accountName: 'Private Project Falcon', idempotencyKey: 'log-test-1' } },
    );
    expect(created.data!.createAccount.accountName).toBe('Private Project Falcon');
    // A refused input and an AWS failure are logged too.
    await stack.gql(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`, {
      input: { email: 'not-an-email-but-private', accountName: 'Secret Name Two', idempotencyKey: 'log-test-2' },
    });
    await stack.setFaults({ errorRate: 1, operations: ['organizations:DescribeCreateAccountStatus'] });
    await stack.gql(`{ createAccountRequest(id: "car-0123456789abcdef") { id } }`);
    await stack.clearFaults();

    expect(lines.length).toBeGreaterThan(0);
    const everything = lines.join('\n');
    const secrets = [
      'very.private.person@example.com',
      'Private Project Falcon',
      'not-an-email-but-private',
      'Secret Name Two',
      listed.data!.organization.managementAccountEmail,
      // The demo's management account is called "management", a word log messages may use on their own.
      ...nodes.flatMap((node) => [node.email, node.name]).filter((value) => value && value !== 'management'),
    ];
    for (const secret of secrets) expect(everything, `logs must not contain ${secret}`).not.toContain(secret);
    expect(everything).not.toMatch(/secretAccessKey|sessionToken|"test:test"/);

    const operations = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'graphql operation');
    expect(operations.length).toBeGreaterThanOrEqual(4);
    for (const entry of operations) expect(entry.requestId).toEqual(expect.any(String));
  });
});
