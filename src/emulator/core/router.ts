// Finds the service, protocol and operation a request is addressed to. AWS tells services apart by host name; on
// one shared endpoint the SigV4 credential scope names the service instead, and the request's shape names the
// protocol: `X-Amz-Target` (awsJson), `/service/<S>/operation/<Op>` + `Smithy-Protocol` (rpcv2Cbor), or a form
// with `Action` (awsQuery). Unsigned requests are matched by shape alone, so they still get their service's errors.
import { awsJsonCodec } from './protocols/aws-json.js';
import { awsQueryCodec, queryParameters } from './protocols/aws-query.js';
import { type ProtocolCodec } from './protocols/codec.js';
import { RPC_V2_CBOR, rpcV2CborCodec, SMITHY_PROTOCOL_HEADER } from './protocols/rpcv2-cbor.js';
import { type EmulatorRequest, headerValue, splitPath } from './exchange.js';
import { type OperationHandler, type ServiceDefinition, type WireProtocol } from './types.js';

export type Route =
  | {
      readonly kind: 'operation';
      readonly service: ServiceDefinition;
      readonly codec: ProtocolCodec;
      readonly operation: string;
      readonly handler: OperationHandler;
    }
  /** The request is for this service and protocol, but the service has no such operation. */
  | { readonly kind: 'unknownOperation'; readonly service: ServiceDefinition; readonly codec: ProtocolCodec; readonly operation: string }
  /** No service speaks the protocol this request is written in. */
  | { readonly kind: 'unroutable'; readonly reason: string };

const TARGET_HEADER = 'x-amz-target';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

const CODECS: Record<WireProtocol, ProtocolCodec> = {
  awsJson1_0: awsJsonCodec('awsJson1_0'),
  awsJson1_1: awsJsonCodec('awsJson1_1'),
  awsQuery: awsQueryCodec(),
  rpcv2Cbor: rpcV2CborCodec(),
};

export class Router {
  readonly #bySigningName = new Map<string, ServiceDefinition>();
  readonly #byTargetPrefix = new Map<string, ServiceDefinition>();
  readonly #bySmithyName = new Map<string, ServiceDefinition>();
  readonly #queryServices: ServiceDefinition[] = [];

  constructor(services: readonly ServiceDefinition[]) {
    for (const service of services) {
      if (this.#bySigningName.has(service.signingName)) throw new Error(`Two services are named ${service.signingName}`);
      this.#bySigningName.set(service.signingName, service);
      if (jsonProtocolOf(service) && service.targetPrefix) this.#byTargetPrefix.set(service.targetPrefix, service);
      if (service.protocols.includes('rpcv2Cbor')) {
        const smithyName = service.smithyServiceName ?? service.targetPrefix;
        if (!smithyName) throw new Error(`${service.signingName} speaks rpcv2Cbor but names no smithyServiceName`);
        this.#bySmithyName.set(smithyName, service);
      }
      if (service.protocols.includes('awsQuery')) this.#queryServices.push(service);
    }
  }

  /** `scopeService` is the service named in the request's credential scope, when it is signed. */
  route(request: EmulatorRequest, scopeService: string | undefined): Route {
    const scoped = scopeService === undefined ? undefined : this.#bySigningName.get(scopeService);
    const { pathname } = splitPath(request.path);

    const cborPath = CBOR_PATH.exec(pathname);
    if (cborPath && headerValue(request, SMITHY_PROTOCOL_HEADER) === RPC_V2_CBOR) {
      const [, smithyName, operation] = cborPath as unknown as [string, string, string];
      const service = scoped?.protocols.includes('rpcv2Cbor') ? scoped : this.#bySmithyName.get(smithyName);
      if (!service) return { kind: 'unroutable', reason: `no service speaks rpcv2Cbor as ${smithyName}` };
      const matches = (service.smithyServiceName ?? service.targetPrefix) === smithyName;
      return operationRoute(service, CODECS.rpcv2Cbor, operation, matches);
    }

    const target = headerValue(request, TARGET_HEADER);
    if (target !== undefined) {
      const dot = target.lastIndexOf('.');
      const prefix = target.slice(0, Math.max(dot, 0));
      const operation = target.slice(dot + 1);
      const service = scoped && jsonProtocolOf(scoped) ? scoped : this.#byTargetPrefix.get(prefix);
      const protocol = service && jsonProtocolOf(service);
      if (!service || !protocol) return { kind: 'unroutable', reason: `no JSON service has the target prefix ${prefix}` };
      return operationRoute(service, CODECS[protocol], operation, service.targetPrefix === prefix);
    }

    if (isQueryShaped(request)) {
      const parameters = queryParameters(request);
      const action = parameters.get('Action');
      if (action !== null) {
        const version = parameters.get('Version');
        const service =
          (scoped?.protocols.includes('awsQuery') ? scoped : undefined) ??
          this.#queryServices.find((candidate) => candidate.queryVersion === version) ??
          (this.#queryServices.length === 1 ? this.#queryServices[0] : undefined);
        if (!service) return { kind: 'unroutable', reason: `no awsQuery service has the version ${version}` };
        return operationRoute(service, CODECS.awsQuery, action, true);
      }
    }
    return { kind: 'unroutable', reason: 'the request has no X-Amz-Target header, Smithy RPC v2 path or awsQuery Action' };
  }

  /** Every `"<signing name>:<Operation>"` this router can reach. */
  operationKeys(): Set<string> {
    const keys = new Set<string>();
    for (const service of this.#bySigningName.values()) {
      for (const operation of Object.keys(service.operations)) keys.add(operationKey(service, operation));
    }
    return keys;
  }
}

/** The key calls are counted and faults are selected by: `"iotfleetwise:GetRegisterAccountStatus"`. */
export function operationKey(service: ServiceDefinition, operation: string): string {
  return `${service.signingName}:${operation}`;
}

function operationRoute(service: ServiceDefinition, codec: ProtocolCodec, operation: string, addressMatches: boolean): Route {
  const handler = addressMatches && Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
  return handler ? { kind: 'operation', service, codec, operation, handler } : { kind: 'unknownOperation', service, codec, operation };
}

function jsonProtocolOf(service: ServiceDefinition): 'awsJson1_0' | 'awsJson1_1' | undefined {
  if (service.protocols.includes('awsJson1_1')) return 'awsJson1_1';
  if (service.protocols.includes('awsJson1_0')) return 'awsJson1_0';
  return undefined;
}

function isQueryShaped(request: EmulatorRequest): boolean {
  if (request.method === 'GET') return splitPath(request.path).query.includes('Action=');
  return request.method === 'POST' && (headerValue(request, 'content-type') ?? '').startsWith(FORM_CONTENT_TYPE);
}
