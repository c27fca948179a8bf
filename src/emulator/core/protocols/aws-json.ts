// awsJson1_0 and awsJson1_1: JSON bodies, timestamps as epoch seconds, errors as `__type` + message.
// JSON 1.0 errors carry the full shape id (`com.amazonaws.iotfleetwise#ResourceNotFoundException`), JSON 1.1
// errors the bare name with a capitalised `Message`, as Organizations answers.
import { type EmulatorRequest, type EmulatorResponse, fromUtf8, utf8 } from '../exchange.js';
import { COMMON_ERROR_NAMESPACE, CommonAwsError, commonError } from '../common-errors.js';
import { type AwsServiceError, type ServiceDefinition } from '../types.js';
import { ERROR_TYPE_HEADER, type ProtocolCodec, REQUEST_ID_HEADER } from './codec.js';

export type JsonProtocol = 'awsJson1_0' | 'awsJson1_1';

const CONTENT_TYPES: Record<JsonProtocol, string> = {
  awsJson1_0: 'application/x-amz-json-1.0',
  awsJson1_1: 'application/x-amz-json-1.1',
};

export function awsJsonCodec(protocol: JsonProtocol): ProtocolCodec {
  const contentType = CONTENT_TYPES[protocol];
  return {
    protocol,
    decodeInput(request: EmulatorRequest) {
      if (request.body.byteLength === 0) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromUtf8(request.body));
      } catch {
        throw commonError('malformedInput', 'json', 'Start of structure or map found where not expected.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw commonError('malformedInput', 'json', 'The request body must be a JSON object.');
      }
      return parsed as Record<string, unknown>;
    },
    encodeOutput(_service, _operation, output, requestId): EmulatorResponse {
      return {
        status: 200,
        headers: { 'content-type': contentType, [REQUEST_ID_HEADER]: requestId },
        body: utf8(JSON.stringify(awsJsonValue(output))),
      };
    },
    encodeError(service: ServiceDefinition, error: AwsServiceError, requestId: string): EmulatorResponse {
      const namespace = error instanceof CommonAwsError ? COMMON_ERROR_NAMESPACE : service.errorNamespace;
      const body =
        protocol === 'awsJson1_0'
          ? { ...error.fields, __type: `${namespace}#${error.code}`, message: error.message }
          : { ...error.fields, __type: error.code, Message: error.message };
      return {
        status: error.status,
        headers: { 'content-type': contentType, [REQUEST_ID_HEADER]: requestId, [ERROR_TYPE_HEADER]: error.code },
        body: utf8(JSON.stringify(awsJsonValue(body))),
      };
    },
  };
}

/**
 * A value as the AWS JSON protocols write it: timestamps as epoch seconds (fractional when the Date has
 * milliseconds), blobs as base64, undefined members left out. A copy rather than a JSON.stringify replacer: the
 * replacer is called for every member and was three times slower on typical outputs.
 */
function awsJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(awsJsonValue);
  const result: Record<string, unknown> = {};
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) result[key] = awsJsonValue(member);
  }
  return result;
}
