// The aws/ layer's public surface: createAwsServices builds the AwsServices that status/ codes against — shared
// clients, per-account credentials, one rate limiter, one call path — and nothing of the SDK leaks past it.
import { createCallAws, isOutage } from './call.js';
import { createCircuitBreakers, type CircuitStateName } from './circuit-breaker.js';
import { AwsClients, createSharedHttpHandler } from './clients.js';
import * as computeOptimizer from './compute-optimizer.js';
import type { AwsContext } from './context.js';
import { baseCredentials, createAccountAccessResolver, type CredentialRenewalEvent, type StaticCredentials } from './credentials.js';
import * as fleetwise from './fleetwise.js';
import * as organizations from './organizations.js';
import * as organizationsTree from './organizations-tree.js';
import { ASSUME_ROLE_RATE_KEY, createRateLimiter, DEFAULT_MINIMUM_RATES } from './rate-limiter.js';
import * as sts from './sts.js';
import type { AwsCallEvent, AwsServices, CallerIdentity } from './types.js';

export type * from './types.js';
export { AwsCallError, isAwsCallError, type AwsCallErrorInit } from './errors.js';
export { FLEETWISE_REGIONS, REGION_NOT_SUPPORTED, isFleetwiseRegion } from './fleetwise.js';
export type { CredentialRenewalEvent, StaticCredentials } from './credentials.js';
export { CIRCUIT_OPEN, type CircuitStateName } from './circuit-breaker.js';

export interface AwsServicesOptions {
  /** AWS_REGION: STS, Compute Optimizer and the AssumeRole calls use it; Organizations is always us-east-1. */
  readonly region: string;
  /** AWS_ENDPOINT_URL: one endpoint for every client, FleetWise included (a standalone emulator). */
  readonly endpoint?: string;
  /** Fixed keys (the emulator's test/test); without them, the default credential chain. */
  readonly credentials?: StaticCredentials;
  /** The role assumed in member accounts: `arn:<partition>:iam::<id>:role/<memberRoleName>`. */
  readonly memberRoleName: string;
  /** Connection and request timeout of each attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Sockets per protocol, shared by every client. */
  readonly maxSockets: number;
  /** SDK attempts per call, retries included (CreateAccount always makes one). */
  readonly maxAttempts: number;
  /** SDK attempts per call while AWS throttles (not below maxAttempts). @default maxAttempts */
  readonly throttleMaxAttempts?: number;
  /** A circuit breaker per (service, region); without it every call goes out whatever the failures. */
  readonly circuitBreaker?: {
    /** Sliding window the failure share is measured over, in milliseconds. */
    readonly windowMs: number;
    /** How long an open circuit refuses calls before one probe, in milliseconds. */
    readonly halfOpenMs: number;
    /** Observes state changes; must not throw. */
    readonly onStateChange?: (key: { service: string; region: string }, state: CircuitStateName) => void;
  };
  /** Calls started per second per (service, operation, region); more wait in a queue. */
  readonly rateLimitPerSecond: number;
  /** STS AssumeRole's rate, at least rateLimitPerSecond. @default DEFAULT_MINIMUM_RATES['sts:AssumeRole'] */
  readonly assumeRoleRatePerSecond?: number;
  /** Observes every call (metrics, logs); must not throw. */
  readonly onCall?: (event: AwsCallEvent) => void;
  /** Observes every renewal of refused credentials and whether the call then went through; must not throw. */
  readonly onCredentialRenewal?: (event: CredentialRenewalEvent) => void;
}

export function createAwsServices(options: AwsServicesOptions): AwsServices {
  const requestHandler = createSharedHttpHandler({ timeoutMs: options.timeoutMs, maxSockets: options.maxSockets });
  const base = baseCredentials(options.credentials, options.onCredentialRenewal);
  const endpoint = options.endpoint === undefined ? {} : { endpoint: options.endpoint };
  const limiter = createRateLimiter({
    requestsPerSecond: options.rateLimitPerSecond,
    ...(options.assumeRoleRatePerSecond === undefined
      ? {}
      : { minimumRates: { ...DEFAULT_MINIMUM_RATES, [ASSUME_ROLE_RATE_KEY]: options.assumeRoleRatePerSecond } }),
  });
  const throttleMaxAttempts = options.throttleMaxAttempts ?? options.maxAttempts;
  const clients = new AwsClients({
    region: options.region,
    maxAttempts: options.maxAttempts,
    throttleMaxAttempts,
    requestHandler,
    baseCredentials: base.credentials,
    ...(base.renewal ? { baseRenewal: base.renewal } : {}),
    limiter,
    ...endpoint,
  });
  const breakers = options.circuitBreaker && createCircuitBreakers({ ...options.circuitBreaker, isOutage });
  const callAws = createCallAws({
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(breakers ? { breakers } : {}),
  });

  const callerIdentity = cacheSuccess((): Promise<CallerIdentity> => sts.getCallerIdentity(ctx));
  const callerAccountId = async () => (await callerIdentity()).accountId;
  const access = createAccountAccessResolver({
    baseCredentials: base,
    ...(options.onCredentialRenewal ? { onRenewal: options.onCredentialRenewal } : {}),
    callerIdentity,
    memberRoleName: options.memberRoleName,
    sts: () => clients.sts(),
    region: options.region,
    callAws,
  });
  const ctx: AwsContext = {
    clients,
    callAws,
    accountAccess: (accountId) => access.forAccount(accountId),
    callerAccountId,
    region: options.region,
  };

  return servicesOver(ctx, () => {
    limiter.destroy();
    clients.destroy();
  });
}

/** The services, each a call through `ctx`; withSignal gives the same services with every read abortable. */
function servicesOver(ctx: AwsContext, destroy: () => void): AwsServices {
  return {
    // Always a fresh call: readiness checks use it to prove the credentials still work.
    getCallerIdentity: () => sts.getCallerIdentity(ctx),
    callerAccountId: ctx.callerAccountId,
    describeOrganization: () => organizations.describeOrganization(ctx),
    listAccounts: (listOptions) => organizations.listAccounts(ctx, listOptions),
    describeAccount: (accountId) => organizations.describeAccount(ctx, accountId),
    listRoots: () => organizationsTree.listRoots(ctx),
    listOrganizationalUnitsForParent: (parentId) => organizationsTree.listOrganizationalUnitsForParent(ctx, parentId),
    listAccountIdsForParent: (parentId) => organizationsTree.listAccountIdsForParent(ctx, parentId),
    listTagsForResource: (resourceId) => organizationsTree.listTagsForResource(ctx, resourceId),
    listCreateAccountStatuses: () => organizations.listCreateAccountStatuses(ctx),
    describeCreateAccountStatus: (requestId) => organizations.describeCreateAccountStatus(ctx, requestId),
    createAccount: (params) => organizations.createAccount(ctx, params),
    getEnrollmentStatus: (accountId) => computeOptimizer.getEnrollmentStatus(ctx, accountId),
    listOrganizationEnrollmentStatuses: () => computeOptimizer.listOrganizationEnrollmentStatuses(ctx),
    updateEnrollmentStatus: (params) => computeOptimizer.updateEnrollmentStatus(ctx, params),
    getFleetwiseRegistration: (accountId, region) => fleetwise.getFleetwiseRegistration(ctx, accountId, region),
    registerFleetwiseAccount: (params) => fleetwise.registerFleetwiseAccount(ctx, params),
    isFleetwiseRegion: fleetwise.isFleetwiseRegion,
    // Each read of these services passes the signal (and deadline) to its call (call.ts); mutations' sends take none.
    withSignal: (signal, waitOptions) =>
      servicesOver({ ...ctx, callAws: (target, send, options) => ctx.callAws(target, send, { ...options, ...waitOptions, signal }) }, destroy),
    destroy,
  };
}

/**
 * Remembers the first successful answer and shares the pending one; a failure is forgotten, so a transient
 * error at start does not stick for the life of the server.
 */
function cacheSuccess<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
