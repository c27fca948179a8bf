import { ThrottlingException } from '@aws-sdk/client-compute-optimizer';
import { describe, expect, it } from 'vitest';
import { createCallAws } from '../../src/aws/call.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { AwsCallEvent } from '../../src/aws/types.js';

const target = { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', region: 'us-east-1', accountId: '111122223333' };

/** A call path whose hook records every event, as dataloader's tests record batches. */
function recordingCallAws() {
  const events: AwsCallEvent[] = [];
  const callAws = createCallAws({ onCall: (event) => events.push(event) });
  return { callAws, events };
}

describe('createCallAws', () => {
  it('returns the output and reports a success with the attempts the SDK made', async () => {
    const { callAws, events } = recordingCallAws();
    const output = await callAws(target, async () => ({ accountStatus: 'REGISTRATION_SUCCESS', $metadata: { attempts: 2 } }));
    expect(output.accountStatus).toBe('REGISTRATION_SUCCESS');
    expect(events).toEqual([
      {
        service: 'iotfleetwise',
        operation: 'GetRegisterAccountStatus',
        region: 'us-east-1',
        outcome: 'success',
        durationMs: expect.any(Number),
        attempts: 2,
      },
    ]);
  });

  it('throws an AwsCallError and reports a throttled outcome for a throttling error', async () => {
    const { callAws, events } = recordingCallAws();
    const throttling = new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429, attempts: 3 } });
    const failure = await callAws(target, () => Promise.reject(throttling)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({ code: 'ThrottlingException', throttled: true, accountId: '111122223333' });
    expect(events).toMatchObject([{ outcome: 'throttled', errorCode: 'ThrottlingException', attempts: 3 }]);
  });

  it('reports an error outcome for any other failure', async () => {
    const { callAws, events } = recordingCallAws();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(callAws(target, () => Promise.reject(refused))).rejects.toMatchObject({ code: 'ECONNREFUSED', retryable: true });
    expect(events).toMatchObject([{ outcome: 'error', errorCode: 'ECONNREFUSED' }]);
  });

  it('reports an expected "not found" answer as a success that still names its code', async () => {
    const { callAws, events } = recordingCallAws();
    const notFound = Object.assign(new Error('never registered'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404, attempts: 1 },
    });
    await expect(
      callAws(target, () => Promise.reject(notFound), { answerCodes: ['ResourceNotFoundException'] }),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    expect(events).toMatchObject([{ outcome: 'success', errorCode: 'ResourceNotFoundException' }]);
  });

  it('passes on an AwsCallError raised by an inner call without reporting this call, which never reached AWS', async () => {
    const { callAws, events } = recordingCallAws();
    const assumeRoleFailure = await callAws(
      { service: 'sts', operation: 'AssumeRole', region: 'us-east-1', accountId: '111122223333' },
      () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })),
    ).catch((error: unknown) => error);
    const failure = await callAws(target, () => Promise.reject(assumeRoleFailure)).catch((error: unknown) => error);
    expect(failure).toBe(assumeRoleFailure);
    expect(failure).toMatchObject({ service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' });
    expect(events.map((event) => event.operation)).toEqual(['AssumeRole']);
  });
});
