// Assembles the emulator's request pipeline from the protocol core: control API, routing, the region gate, call
// counting, SigV4 authentication, fault injection, then the service's handler and the protocol's encoding.
// No socket here: node.ts serves `handle` over HTTP, tests call it directly.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate } from './core/authenticate.js';
import { CommonAwsError, commonError, errorFamily, internalError, throttlingError } from './core/common-errors.js';
import { CallCounter, handleControlRequest, isControlRequest } from './core/control-api.js';
import { type EmulatorRequest, type EmulatorResponse, jsonResponse } from './core/exchange.js';
import { FaultInjector } from './core/faults.js';
import { REQUEST_ID_HEADER } from './core/protocols/codec.js';
import { operationKey, Router } from './core/router.js';
import { parseAuthorization } from './core/sigv4.js';
import { AwsServiceError, type IdentityStore, type OperationContext, type OperationHandler, type ServiceDefinition } from './core/types.js';
import type { WorldControl } from './core/world-control.js';

export type { EmulatorRequest, EmulatorResponse } from './core/exchange.js';

export interface EmulatorOptions {
  readonly services: readonly ServiceDefinition[];
  readonly identity: IdentityStore;
  /** Transitions, histories and sessions of the world the services model, for the control API. */
  readonly world?: WorldControl;
  /** The emulator's notion of now: signature time checks, token expiry, the Date header, handler contexts. @default () => new Date() */
  readonly clock?: () => Date;
  /** Dice for fault injection, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Monotonic milliseconds for tpsLimit windows. @default performance.now */
  readonly monotonicNowMs?: () => number;
  /** Told about handler failures that are not AwsServiceError (the client gets the service's 5xx). @default logs to stderr */
  readonly onInternalError?: (error: unknown, operationKey: string) => void;
}

export interface Emulator {
  /** Answers one HTTP request. Rejects with an AbortError only for a delayed or hung request whose signal aborts. */
  handle(request: EmulatorRequest): Promise<EmulatorResponse>;
  /** Settles every delayed and hung request by rejecting it with an AbortError, so a server can shut down. */
  close(): void;
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const { services, identity } = options;
  const clock = options.clock ?? (() => new Date());
  const onInternalError = options.onInternalError ?? logInternalError;
  const router = new Router(services);
  const calls = new CallCounter();
  const faults = new FaultInjector({ random: options.random, monotonicNowMs: options.monotonicNowMs });
  const controlState = { calls, faults, operationKeys: router.operationKeys(), clock, ...(options.world ? { world: options.world } : {}) };
  const closing = new AbortController();
  // Every delayed request listens on it until answered; hundreds at once is the point of a latency fault.
  setMaxListeners(0, closing.signal);

  async function handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    if (isControlRequest(request)) return handleControlRequest(request, controlState);

    const requestId = randomUUID();
    const arrivedAt = clock();
    const authorization = parseAuthorization(request);
    const scope = authorization.kind === 'parsed' ? authorization.authorization.scope : undefined;
    const route = router.route(request, scope?.service);
    if (route.kind === 'unroutable') {
      return withDate(jsonResponse(404, { message: `No AWS operation here: ${route.reason}.` }, { [REQUEST_ID_HEADER]: requestId }), arrivedAt);
    }

    const { service, codec } = route;
    const family = errorFamily(codec.protocol);
    const answerError = (error: AwsServiceError): EmulatorResponse => withDate(codec.encodeError(service, error, requestId), clock());

    if (route.kind === 'unknownOperation') {
      const message =
        family === 'query'
          ? `Could not find operation ${route.operation} for version ${service.queryVersion ?? ''}`
          : `Unknown operation ${route.operation}`;
      return answerError(commonError('unknownOperation', family, message));
    }
    if (scope && service.regions && !service.regions.includes(scope.region)) {
      // Real AWS has no endpoint for the service in that region at all (the host name does not resolve), so the
      // request would never arrive: it is answered before counting, with a non-retryable client error.
      const code = family === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException';
      const offered = service.regions.join(', ');
      return answerError(new CommonAwsError(code, `${service.signingName} has no endpoint in region ${scope.region}; it is offered in ${offered}.`, 400));
    }

    const key = operationKey(service, route.operation);
    calls.record(key);
    try {
      const caller = authenticate({ request, authorization, signingName: service.signingName, family, identity, now: arrivedAt });
      const decision = faults.decide(key, caller.accountId);
      const signalOf = () => (request.signal ? AbortSignal.any([request.signal, closing.signal]) : closing.signal);
      // holdAnswer: the request is answered now and its answer held (a read AWS served before a write, arriving after).
      const holdAnswer = decision.outcome === 'hold' && faults.settings.holdAnswer === true;
      if (decision.delayMs > 0 || decision.outcome === 'hang' || decision.outcome === 'hold') {
        const signal = signalOf();
        if (decision.delayMs > 0) await sleep(decision.delayMs, undefined, { signal });
        if (decision.outcome === 'hang') await untilAborted(signal);
        if (decision.outcome === 'hold' && !holdAnswer) await faults.untilReleased(signal);
      }
      if (decision.outcome === 'throttle') throw throttlingError(service);
      if (decision.outcome === 'fail') throw internalError(service, codec.protocol);
      if (decision.outcome === 'refuse') throw commonError('unrecognizedClient', family, 'The security token included in the request is invalid.');

      const input = codec.decodeInput(request);
      const now = clock();
      const output = await answerOf(route.handler, input, { caller, now }, holdAnswer ? () => faults.untilReleased(signalOf()) : undefined);
      return withDate(codec.encodeOutput(service, route.operation, output, requestId), now);
    } catch (error) {
      if (error instanceof AwsServiceError) return answerError(error);
      if (isAbortError(error)) throw error;
      onInternalError(error, key);
      return answerError(internalError(service, codec.protocol));
    }
  }

  return {
    handle,
    close: () => closing.abort(),
  };
}

/**
 * An operation's answer. With `held` (holdAnswer), it is what the state was when the request arrived — an output or
 * an AWS error — given only once `held` resolves.
 */
async function answerOf(
  handler: OperationHandler,
  input: Record<string, unknown>,
  context: OperationContext,
  held: (() => Promise<void>) | undefined,
): Promise<Record<string, unknown>> {
  if (!held) return handler(input, context);
  const answered = Promise.resolve().then(() => handler(input, context));
  await Promise.allSettled([answered]);
  await held();
  return answered;
}

/** SDKs correct their clock skew from the Date header, so it tells the emulator's time, not the host's. */
function withDate(response: EmulatorResponse, now: Date): EmulatorResponse {
  return { ...response, headers: { ...response.headers, date: now.toUTCString() } };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('The request was abandoned', 'AbortError'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function logInternalError(error: unknown, operationKey: string): void {
  console.error(`emulator: ${operationKey} failed unexpectedly:`, error);
}
