// Smithy RPC v2 CBOR: `POST /service/<Service>/operation/<Operation>` with `Smithy-Protocol: rpc-v2-cbor`; bodies are
// CBOR maps, timestamps CBOR tag 1 (epoch seconds), errors a map with `__type` (full shape id) and `message`.
// Every response must echo the Smithy-Protocol header: the SDK rejects a CBOR response without it.
import { Decoder, Encoder } from 'cbor-x';
import { type EmulatorRequest, type EmulatorResponse } from '../exchange.js';
import { COMMON_ERROR_NAMESPACE, CommonAwsError, commonError } from '../common-errors.js';
import { type AwsServiceError, type ServiceDefinition } from '../types.js';
import { ERROR_TYPE_HEADER, type ProtocolCodec, REQUEST_ID_HEADER } from './codec.js';

export const SMITHY_PROTOCOL_HEADER = 'smithy-protocol';
export const RPC_V2_CBOR = 'rpc-v2-cbor';
const CBOR_CONTENT_TYPE = 'application/cbor';

// Plain CBOR maps and byte strings, as Smithy expects: cbor-x would otherwise use its own record extension (tag 105)
// and tag typed arrays. cbor-x writes Date as tag 1 with epoch seconds and reads tag 1 back as Date.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

export function rpcV2CborCodec(): ProtocolCodec {
  return {
    protocol: 'rpcv2Cbor',
    decodeInput(request: EmulatorRequest) {
      if (request.body.byteLength === 0) return {};
      let decoded: unknown;
      try {
        decoded = decoder.decode(request.body);
      } catch {
        throw commonError('malformedInput', 'json', 'The request body is not valid CBOR.');
      }
      if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded) || decoded instanceof Uint8Array) {
        throw commonError('malformedInput', 'json', 'The request body must be a CBOR map.');
      }
      return decoded as Record<string, unknown>;
    },
    encodeOutput(_service, _operation, output, requestId): EmulatorResponse {
      return cborResponse(200, output, requestId);
    },
    encodeError(service: ServiceDefinition, error: AwsServiceError, requestId: string): EmulatorResponse {
      const namespace = error instanceof CommonAwsError ? COMMON_ERROR_NAMESPACE : service.errorNamespace;
      const body = { ...error.fields, __type: `${namespace}#${error.code}`, message: error.message };
      return cborResponse(error.status, body, requestId, { [ERROR_TYPE_HEADER]: error.code });
    },
  };
}

function cborResponse(status: number, value: Record<string, unknown>, requestId: string, extraHeaders: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: {
      'content-type': CBOR_CONTENT_TYPE,
      [SMITHY_PROTOCOL_HEADER]: RPC_V2_CBOR,
      [REQUEST_ID_HEADER]: requestId,
      ...extraHeaders,
    },
    body: encoder.encode(withoutUndefined(value)),
  };
}

/** CBOR has an `undefined` value that Smithy does not model: leave such members out, as JSON.stringify does. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  const result: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) result[key] = withoutUndefined(member);
  }
  return result;
}
