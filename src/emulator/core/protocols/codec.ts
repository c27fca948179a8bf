// What every wire protocol codec does: turn a request body into operation input, and an operation's output or
// error into the response bytes the SDKs parse for that protocol.
import { type EmulatorRequest, type EmulatorResponse } from '../exchange.js';
import { type AwsServiceError, type ServiceDefinition, type WireProtocol } from '../types.js';

export interface ProtocolCodec {
  readonly protocol: WireProtocol;
  /** Decoded input members; throws an AwsServiceError when the body is not valid for the protocol. */
  decodeInput(request: EmulatorRequest): Record<string, unknown>;
  encodeOutput(service: ServiceDefinition, operation: string, output: Record<string, unknown>, requestId: string): EmulatorResponse;
  encodeError(service: ServiceDefinition, error: AwsServiceError, requestId: string): EmulatorResponse;
}

/** Every AWS response carries its request id in this header (awsQuery also repeats it in the body). */
export const REQUEST_ID_HEADER = 'x-amzn-requestid';
/** The error code header the JSON and CBOR SDK deserializers read before the body. */
export const ERROR_TYPE_HEADER = 'x-amzn-errortype';
