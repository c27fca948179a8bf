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
        body: utf8(JSON.stringify(output, awsJsonValue)),
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
        body: utf8(JSON.stringify(body, awsJsonValue)),
      };
    },
  };
}

/**
 * JSON.stringify replacer for the AWS JSON protocols: timestamps as epoch seconds (fractional when the Date has
 * milliseconds), blobs as base64. Date#toJSON runs before a replacer sees the value, so read the raw member from `this`.
 */
function awsJsonValue(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  return value;
}
