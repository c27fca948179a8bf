import { AccessDeniedException, InternalServerException, ThrottlingException } from '@aws-sdk/client-compute-optimizer';
import { AWSOrganizationsNotInUseException, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { AwsCallError, toAwsCallError } from '../../src/aws/errors.js';

const target = {
  service: 'compute-optimizer',
  operation: 'GetEnrollmentStatus',
  region: 'eu-central-1',
  accountId: '111122223333',
};

/** `$metadata` as the SDK sets it on a deserialized error response. */
const metadata = (httpStatusCode: number, attempts = 1) => ({
  httpStatusCode,
  attempts,
  totalRetryDelay: 0,
  requestId: 'a3f1c2d4-0000-4000-8000-000000000001',
});

/** A Node.js socket error as the HTTP handler rejects with it. */
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });

describe('toAwsCallError', () => {
  it('keeps the AWS error code, the HTTP status and the account and region the call was for', () => {
    const sdkError = new AccessDeniedException({ message: 'not authorized', $metadata: metadata(403) });
    const error = toAwsCallError(sdkError, target);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      service: 'compute-optimizer',
      operation: 'GetEnrollmentStatus',
      code: 'AccessDeniedException',
      message: 'not authorized',
      httpStatus: 403,
      accountId: '111122223333',
      region: 'eu-central-1',
      requestId: 'a3f1c2d4-0000-4000-8000-000000000001',
      retryable: false,
      throttled: false,
    });
    expect(error.accessDenied).toBe(true);
  });

  it('keeps nothing of the raw HTTP exchange, whose headers may carry a session token', () => {
    const sdkError = Object.assign(
      new AccessDeniedException({ message: 'not authorized', $metadata: metadata(403) }),
      { $response: { headers: { 'x-amz-security-token': 'IQoJb3JpZ2luX2VjEXAMPLETOKEN' } } },
    );
    const error = toAwsCallError(sdkError, target);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('IQoJb3JpZ2luX2VjEXAMPLETOKEN');
  });

  it('marks a ThrottlingException as throttled and retryable', () => {
    const error = toAwsCallError(new ThrottlingException({ message: 'slow down', $metadata: metadata(429) }), target);
    expect(error).toMatchObject({ code: 'ThrottlingException', throttled: true, retryable: true, httpStatus: 429 });
  });

  it("marks Organizations' TooManyRequestsException as throttled, whatever its status code", () => {
    const sdkError = new TooManyRequestsException({ message: 'rate exceeded', $metadata: metadata(400) });
    const error = toAwsCallError(sdkError, { service: 'organizations', operation: 'ListAccounts', region: 'us-east-1' });
    expect(error).toMatchObject({ code: 'TooManyRequestsException', throttled: true, retryable: true });
  });

  it('marks a 500 InternalServerException as retryable but not throttled', () => {
    const error = toAwsCallError(new InternalServerException({ message: 'oops', $metadata: metadata(500, 3) }), target);
    expect(error).toMatchObject({ code: 'InternalServerException', retryable: true, throttled: false, httpStatus: 500 });
  });

  it('marks an unmodelled 503 as retryable, named by the code AWS sent', () => {
    const unmodelled = Object.assign(new Error('Service Unavailable'), {
      name: 'ServiceUnavailableException',
      $fault: 'server',
      $metadata: metadata(503),
    });
    expect(toAwsCallError(unmodelled, target)).toMatchObject({
      code: 'ServiceUnavailableException',
      retryable: true,
      throttled: false,
    });
  });

  it('treats AWSOrganizationsNotInUseException as a plain, final answer', () => {
    const sdkError = new AWSOrganizationsNotInUseException({ message: 'not in use', $metadata: metadata(400) });
    const error = toAwsCallError(sdkError, { service: 'organizations', operation: 'DescribeOrganization', region: 'us-east-1' });
    expect(error).toMatchObject({ code: 'AWSOrganizationsNotInUseException', retryable: false, throttled: false });
  });

  it('names a request timeout TimeoutError and makes it retryable', () => {
    const timeout = Object.assign(new Error('a request has exceeded the configured 100 ms requestTimeout'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const error = toAwsCallError(timeout, target);
    expect(error).toMatchObject({ code: 'TimeoutError', retryable: true, throttled: false });
    expect(error.httpStatus).toBeUndefined();
  });

  it.each(['ECONNREFUSED', 'ECONNRESET'])('names a %s by its socket code and makes it retryable', (code) => {
    expect(toAwsCallError(socketError(code), target)).toMatchObject({ code, retryable: true, throttled: false });
  });

  it('calls an error that says nothing about itself UnknownError, not retryable', () => {
    expect(toAwsCallError(new Error('something broke'), target)).toMatchObject({
      code: 'UnknownError',
      message: 'something broke',
      retryable: false,
    });
    expect(toAwsCallError('a thrown string', target)).toMatchObject({ code: 'UnknownError', message: 'a thrown string' });
  });

  it('passes an AwsCallError through unchanged (an AssumeRole failure keeps its own service and operation)', () => {
    const assumeRoleFailure = new AwsCallError({
      service: 'sts',
      operation: 'AssumeRole',
      code: 'AccessDenied',
      message: 'not allowed',
      retryable: false,
      throttled: false,
      accountId: '444455556666',
    });
    expect(toAwsCallError(assumeRoleFailure, target)).toBe(assumeRoleFailure);
  });
});
