import { decode, encode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { CommonAwsError } from '../../../src/emulator/core/common-errors.js';
import { type EmulatorRequest, type EmulatorResponse } from '../../../src/emulator/core/exchange.js';
import { awsJsonCodec } from '../../../src/emulator/core/protocols/aws-json.js';
import { awsQueryCodec } from '../../../src/emulator/core/protocols/aws-query.js';
import { rpcV2CborCodec } from '../../../src/emulator/core/protocols/rpcv2-cbor.js';
import { AwsServiceError } from '../../../src/emulator/core/types.js';
import { computeOptimizerService, fleetwiseService, organizationsService, stsService } from './fixtures.js';

const REQUEST_ID = '11111111-2222-3333-4444-555555555555';
const WHEN = new Date('2024-03-01T12:00:00.250Z');

function request(body: string | Uint8Array, method = 'POST', path = '/'): EmulatorRequest {
  return { method, path, headers: {}, body: typeof body === 'string' ? Buffer.from(body) : body };
}

const text = (response: EmulatorResponse) => Buffer.from(response.body).toString('utf8');

describe('awsJson codecs', () => {
  const json10 = awsJsonCodec('awsJson1_0');
  const json11 = awsJsonCodec('awsJson1_1');

  it('reads an empty body as no input', () => {
    expect(json10.decodeInput(request(''))).toEqual({});
  });

  it.each(['{"a":', '[1,2]', '"text"', 'null'])('refuses %s as input with SerializationException', (body) => {
    expect(() => json10.decodeInput(request(body))).toThrow(expect.objectContaining({ code: 'SerializationException', status: 400 }));
  });

  it('writes timestamps as epoch seconds, blobs as base64, and leaves undefined members out', () => {
    const response = json10.encodeOutput(fleetwiseService(), 'Op', { when: WHEN, nested: [{ when: WHEN, gone: undefined }], blob: new Uint8Array([1, 2, 3]), gone: undefined }, REQUEST_ID);

    expect(JSON.parse(text(response))).toEqual({ when: 1709294400.25, nested: [{ when: 1709294400.25 }], blob: 'AQID' });
    expect(response.headers).toEqual({ 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': REQUEST_ID });
  });

  it('names a service error with its namespace in JSON 1.0 and bare in JSON 1.1', () => {
    const error = new AwsServiceError('ThrottlingException', 'Rate exceeded', 429, { retryAfterSeconds: 2 });

    expect(JSON.parse(text(json10.encodeError(fleetwiseService(), error, REQUEST_ID)))).toEqual({
      __type: 'com.amazonaws.iotfleetwise#ThrottlingException',
      message: 'Rate exceeded',
      retryAfterSeconds: 2,
    });
    expect(JSON.parse(text(json11.encodeError(organizationsService(), error, REQUEST_ID)))).toEqual({
      __type: 'ThrottlingException',
      Message: 'Rate exceeded',
      retryAfterSeconds: 2,
    });
  });

  it('names front-end errors with the shared coral namespace, as AWS does', () => {
    const response = json10.encodeError(computeOptimizerService(), new CommonAwsError('UnrecognizedClientException', 'invalid', 403), REQUEST_ID);

    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    expect(JSON.parse(text(response)).__type).toBe('com.amazon.coral.service#UnrecognizedClientException');
  });
});

describe('awsQuery codec', () => {
  const query = awsQueryCodec();

  it('reads lists and nested members from the form, and keeps scalars as strings', () => {
    const input = query.decodeInput(
      request(
        'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&DurationSeconds=900' +
          '&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1' +
          '&TransitiveTagKeys.member.1=a&PolicyArns.member.1.arn=arn%3Ap',
      ),
    );

    expect(input).toEqual({
      RoleArn: 'arn:aws:iam::1:role/R',
      DurationSeconds: '900',
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
      TransitiveTagKeys: ['a'],
      PolicyArns: [{ arn: 'arn:p' }],
    });
  });

  it('reads a GET request from its query string', () => {
    expect(query.decodeInput(request('', 'GET', '/?Action=GetCallerIdentity&Version=2011-06-15&X=1'))).toEqual({ X: '1' });
  });

  it('writes output as XML with ISO-8601 timestamps, member lists and escaped text', () => {
    const response = query.encodeOutput(stsService(), 'GetThing', { When: WHEN, Names: ['a<b', 'c&d'], Nested: { Flag: true, Count: 3 }, Gone: undefined }, REQUEST_ID);

    expect(text(response)).toBe(
      '<GetThingResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetThingResult>' +
        '<When>2024-03-01T12:00:00.250Z</When><Names><member>a&lt;b</member><member>c&amp;d</member></Names>' +
        '<Nested><Flag>true</Flag><Count>3</Count></Nested>' +
        `</GetThingResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></GetThingResponse>`,
    );
    expect(response.headers['content-type']).toBe('text/xml');
  });

  it('writes errors as ErrorResponse with Sender for client faults and Receiver for server faults', () => {
    const client = query.encodeError(stsService(), new AwsServiceError('MalformedPolicyDocument', 'bad "policy"', 400), REQUEST_ID);
    const server = query.encodeError(stsService(), new AwsServiceError('InternalFailure', 'oops', 500), REQUEST_ID);

    expect(text(client)).toBe(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code>' +
        `<Message>bad &quot;policy&quot;</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
    );
    expect(text(server)).toContain('<Type>Receiver</Type>');
    expect(server.status).toBe(500);
  });
});

describe('Smithy RPC v2 CBOR codec', () => {
  const cbor = rpcV2CborCodec();

  it('reads a CBOR map with tag-1 timestamps and byte strings', () => {
    const input = cbor.decodeInput(request(encode({ maxResults: 10, since: WHEN, token: Buffer.from('abc') })));

    expect(input).toEqual({ maxResults: 10, since: WHEN, token: Buffer.from('abc') });
  });

  it('reads an empty body as no input, and refuses a body that is not a CBOR map', () => {
    expect(cbor.decodeInput(request(new Uint8Array()))).toEqual({});
    expect(() => cbor.decodeInput(request(encode([1, 2])))).toThrow(expect.objectContaining({ code: 'SerializationException' }));
    expect(() => cbor.decodeInput(request(new Uint8Array([0xff, 0x00])))).toThrow(expect.objectContaining({ code: 'SerializationException' }));
  });

  it('writes timestamps as CBOR tag 1 and leaves undefined members out', () => {
    const response = cbor.encodeOutput(computeOptimizerService(), 'Op', { when: WHEN, list: [{ gone: undefined, n: 1 }], gone: undefined }, REQUEST_ID);
    const bytes = Buffer.from(response.body);

    expect(decode(bytes)).toEqual({ when: WHEN, list: [{ n: 1 }] });
    expect(bytes.includes(Buffer.from([0xc1]))).toBe(true); // tag 1 introduces the timestamp
    expect(bytes.includes(Buffer.from([0xf7]))).toBe(false); // no CBOR undefined anywhere
  });

  it('writes errors as a map with the namespaced __type and message, with the Smithy-Protocol header', () => {
    const response = cbor.encodeError(computeOptimizerService(), new AwsServiceError('AccessDeniedException', 'no', 403), REQUEST_ID);

    expect(response.status).toBe(403);
    expect(response.headers).toMatchObject({ 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', 'x-amzn-requestid': REQUEST_ID });
    expect(decode(Buffer.from(response.body))).toEqual({ __type: 'com.amazonaws.computeoptimizer#AccessDeniedException', message: 'no' });
  });
});
