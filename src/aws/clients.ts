// The SDK clients, created once per (service, account, region) and reused for the life of the server: a client
// per request would open sockets, resolve endpoints and assume roles per request. Every client shares one
// NodeHttpHandler (one keep-alive agent per protocol, a request timeout, as many requests in flight as sockets) and,
// per account, one credential provider. Every client carries the rate limit of its (service, operation, region), and a client
// made for one account that account's own limit.
import http from 'node:http';
import https from 'node:https';
import { ComputeOptimizerClient } from '@aws-sdk/client-compute-optimizer';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import PQueue from 'p-queue';
import type { DefaultsMode } from '@smithy/core/client';
import type { AwsCredentialIdentityProvider, MetadataBearer, MiddlewareStack, Provider } from '@smithy/types';
import { credentialRenewalPlugin, type CredentialRenewal } from './credential-renewal.js';
import { IoTFleetWiseClient } from './fleetwise-client/index.js';
import { attemptsPlugin } from './abandoned-calls.js';
import { rateLimitPlugin, type RateLimiter } from './rate-limiter.js';
import { ThrottlingAwareRetryStrategy, type RetryBudget } from './retry.js';

/** Organizations is a global service whose endpoint is signed for us-east-1. */
export const ORGANIZATIONS_REGION = 'us-east-1';

/**
 * The management account's STS and Organizations clients send for every member (an AssumeRole each, the org-wide
 * lists): when AWS throttles them they slow down as a whole (retry.ts), rather than spend their one retry bucket.
 */
const SENDS_FOR_EVERY_MEMBER = { adaptive: true } as const;

/** CreateAccount has no idempotency token: a retried request can create a second account. */
const SINGLE_ATTEMPT = 1;

export interface HttpOptions {
  /** Connection timeout and request timeout of each attempt, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * AWS requests in flight at once across every client, and sockets per protocol (http, https) in the agents they
   * share. A send beyond it waits before it is built: a cold read of 100 accounts' FleetWise registrations with 50 or
   * more requests pending at once made V8 allocate objects of Node's own HTTP and stream code in the old generation for
   * the rest of the process — every later inbound request's too — which then kept each request's young objects alive
   * through the scavenges: a warm request promoted 3.8 KB instead of 0.6 KB and cost 40% more CPU (docs/benchmarks.md,
   * section 2: 16 and 32 in flight do not bring it on, 50 does; what counts is how many requests are built at once,
   * on a socket or queued for one, not the sockets or the HTTP library).
   */
  readonly maxSockets: number;
}

/**
 * One handler for every client. `throwOnRequestTimeout` makes a breached requestTimeout an error (a
 * retryable TimeoutError) instead of a logged warning, so a hung endpoint cannot hold a call forever.
 */
export function createSharedHttpHandler({ timeoutMs, maxSockets }: HttpOptions): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets };
  const handler = new NodeHttpHandler({
    httpAgent: new http.Agent(agentOptions),
    httpsAgent: new https.Agent(agentOptions),
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    throwOnRequestTimeout: true,
  });
  return boundRequestsInFlight(handler, maxSockets);
}

/**
 * Sends at most `limit` requests through `handler` at once (p-queue, as the rate limit uses). A send whose caller goes
 * while it waits leaves the queue at once and is handed to the handler, which finds its signal aborted and answers
 * with its own AbortError, making no request — the error every cancelled call already gets.
 */
function boundRequestsInFlight(handler: NodeHttpHandler, limit: number): NodeHttpHandler {
  const queue = new PQueue({ concurrency: limit });
  const send = handler.handle.bind(handler);
  handler.handle = (request, options) => {
    const signal = options?.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    let started = false;
    const run = () => {
      started = true;
      return send(request, options);
    };
    return queue.add(run, signal ? { signal } : {}).catch((error: unknown) => {
      if (!started && signal?.aborted) return send(request, options);
      throw error;
    });
  };
  return handler;
}

/** An account and the credentials its clients sign with (the base credentials, or an assumed member role). */
export interface AccountAccess {
  readonly accountId: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** Gets new credentials when AWS refuses these; absent when new ones cannot be had (fixed keys). */
  readonly renewal?: CredentialRenewal;
}

export interface AwsClientsOptions {
  /** Region of the regional clients (STS, Compute Optimizer). */
  readonly region: string;
  /** Overrides every client's endpoint, FleetWise included. */
  readonly endpoint?: string;
  /** SDK attempts per call, retries included. */
  readonly maxAttempts: number;
  /** SDK attempts per call while AWS throttles; not below maxAttempts. @default maxAttempts */
  readonly throttleMaxAttempts?: number;
  readonly requestHandler: NodeHttpHandler;
  /** The server's own credentials: the management account's. */
  readonly baseCredentials: AwsCredentialIdentityProvider;
  /** Renews them when AWS refuses them (the default credential chain); absent for fixed keys. */
  readonly baseRenewal?: CredentialRenewal;
  readonly limiter: RateLimiter;
}

/** What the clients of every service have in common, as far as this module is concerned. */
interface SdkClient {
  readonly middlewareStack: object;
  destroy(): void;
}

/** The resolved settings a per-account client takes from its service's template (withSharedSettings). */
interface SharedSettings {
  readonly defaultsMode: DefaultsMode | Provider<DefaultsMode>;
  readonly authSchemePreference: string[] | Provider<string[]>;
  readonly retryMode: string | Provider<string>;
  readonly useDualstackEndpoint: boolean | Provider<boolean>;
  readonly useFipsEndpoint: boolean | Provider<boolean>;
  readonly userAgentAppId: string | undefined | Provider<string | undefined>;
}

interface SdkClientWithConfig extends SdkClient {
  readonly config: SharedSettings;
}

export class AwsClients {
  private readonly clients = new Map<string, SdkClient>();
  /** One unused client per (service, region) whose resolved settings the per-account clients share. */
  private readonly templates = new Map<string, SdkClient>();
  private destroyed = false;

  constructor(private readonly options: AwsClientsOptions) {}

  /** STS with the base credentials, in the configured region. */
  sts(): STSClient {
    return this.reuse('sts', 'base', this.options.region, () =>
      withRenewal(
        adaptiveClient((config) => new STSClient(config), this.clientConfig(this.options.region, this.options.baseCredentials, this.retryBudget(), SENDS_FOR_EVERY_MEMBER)),
        this.options.baseRenewal,
      ),
    );
  }

  /** Organizations with the base credentials: every Organizations API we use is a management-account API. */
  organizations(): OrganizationsClient {
    return this.reuse('organizations', 'base', ORGANIZATIONS_REGION, () =>
      withRenewal(
        adaptiveClient((config) => new OrganizationsClient(config), this.clientConfig(ORGANIZATIONS_REGION, this.options.baseCredentials, this.retryBudget(), SENDS_FOR_EVERY_MEMBER)),
        this.options.baseRenewal,
      ),
    );
  }

  /** Organizations that never retries, for CreateAccount alone. */
  organizationsSingleAttempt(): OrganizationsClient {
    return this.reuse('organizations', 'base-single-attempt', ORGANIZATIONS_REGION, () =>
      new OrganizationsClient(
        this.clientConfig(ORGANIZATIONS_REGION, this.options.baseCredentials, { maxAttempts: SINGLE_ATTEMPT, throttleMaxAttempts: SINGLE_ATTEMPT }),
      ),
    );
  }

  /** Compute Optimizer in an account; enrollment is per account, read in the configured region. */
  computeOptimizer(account: AccountAccess): ComputeOptimizerClient {
    const { region } = this.options;
    return this.reuse(
      'compute-optimizer',
      account.accountId,
      region,
      () =>
        withRenewal(
          this.withSharedSettings(
            'compute-optimizer',
            region,
            (config) => new ComputeOptimizerClient(config),
            this.clientConfig(region, account.credentials),
          ),
          account.renewal,
        ),
      account.accountId,
    );
  }

  /** IoT FleetWise in an account and region. */
  fleetwise(account: AccountAccess, region: string): IoTFleetWiseClient {
    return this.reuse(
      'iotfleetwise',
      account.accountId,
      region,
      () =>
        withRenewal(
          this.withSharedSettings(
            'iotfleetwise',
            region,
            (config) => new IoTFleetWiseClient(config),
            this.clientConfig(region, account.credentials),
          ),
          account.renewal,
        ),
      account.accountId,
    );
  }

  /** Destroys every client and the shared handler (with its sockets). */
  destroy(): void {
    this.destroyed = true;
    for (const client of [...this.clients.values(), ...this.templates.values()]) client.destroy();
    this.clients.clear();
    this.templates.clear();
    this.options.requestHandler.destroy();
  }

  private retryBudget(): RetryBudget {
    return { maxAttempts: this.options.maxAttempts, throttleMaxAttempts: this.options.throttleMaxAttempts ?? this.options.maxAttempts };
  }

  /** `adaptive`: the client slows down when AWS throttles it (retry.ts) — for the clients that send for every member. */
  private clientConfig(
    region: string,
    credentials: AwsCredentialIdentityProvider,
    budget: RetryBudget = this.retryBudget(),
    { adaptive = false }: { readonly adaptive?: boolean } = {},
  ) {
    const { endpoint, requestHandler } = this.options;
    return {
      region,
      credentials,
      maxAttempts: budget.maxAttempts,
      // One strategy per client: its retry token bucket is per client, as in the SDK's own default.
      retryStrategy: new ThrottlingAwareRetryStrategy(budget, { adaptive }),
      requestHandler,
      ...(endpoint === undefined ? {} : { endpoint }),
    };
  }

  /**
   * Makes a per-account client that takes the settings every client of its service and region resolves alike from
   * the environment and the shared config files (retry mode, FIPS and dual-stack endpoints, defaults mode, app id,
   * auth scheme preference, a configured endpoint URL) from one template client of that service and region,
   * resolved once, instead of resolving them again. Each of those lookups throws and catches an error per source
   * it misses, so resolving them per client made a cold query over 1,000 member accounts spend a tenth of its CPU
   * there. The template is never used to send.
   */
  private withSharedSettings<Client extends SdkClientWithConfig>(
    service: string,
    region: string,
    create: (config: ReturnType<AwsClients['clientConfig']> & Partial<SharedSettings>) => Client,
    config: ReturnType<AwsClients['clientConfig']>,
  ): Client {
    const templateKey = `${service}:${region}`;
    let template = this.templates.get(templateKey) as Client | undefined;
    if (!template) {
      template = create(config);
      this.templates.set(templateKey, template);
    }
    const shared = template.config;
    const client = create({
      ...config,
      defaultsMode: shared.defaultsMode,
      authSchemePreference: shared.authSchemePreference,
      retryMode: shared.retryMode,
      useDualstackEndpoint: shared.useDualstackEndpoint,
      useFipsEndpoint: shared.useFipsEndpoint,
      userAgentAppId: shared.userAgentAppId,
    });
    // A configured endpoint URL (AWS_ENDPOINT_URL_<SERVICE>, the config files' endpoint_url) is looked up on a
    // client's first request and remembered per client; the template's lookup is shared instead.
    (client.config as { serviceConfiguredEndpoint?: unknown }).serviceConfiguredEndpoint = (
      shared as { serviceConfiguredEndpoint?: unknown }
    ).serviceConfiguredEndpoint;
    return client;
  }

  /**
   * `service` is the signing name, which is also the rate limit's and the call counts' service label.
   * `limitAccountId` puts a per-account client's calls under that account's own rate limit: AWS counts each
   * account's quota separately (rate-limiter.ts).
   */
  private reuse<Client extends SdkClient>(
    service: string,
    account: string,
    region: string,
    create: () => Client,
    limitAccountId?: string,
  ): Client {
    if (this.destroyed) {
      throw Object.assign(new Error('The AWS services were destroyed; no more calls can be made.'), {
        name: 'AwsServicesDestroyed',
      });
    }
    const key = `${service}:${account}:${region}`;
    const existing = this.clients.get(key);
    if (existing) return existing as Client;
    const client = create();
    // The rate limit middleware passes input and output through untouched, so it fits every client's stack.
    const stack = client.middlewareStack as MiddlewareStack<object, object>;
    stack.use(rateLimitPlugin(this.options.limiter, { service, region, ...(limitAccountId === undefined ? {} : { accountId: limitAccountId }) }));
    // What a call sent with an abort signal was retrying, should its caller go (abandoned-calls.ts).
    stack.use(attemptsPlugin());
    this.clients.set(key, client);
    return client;
  }
}

/** A client whose attempts wait for its adaptive sending rate right before they are paced, signed and sent (retry.ts). */
function adaptiveClient<Client extends SdkClient, Config extends { readonly retryStrategy: ThrottlingAwareRetryStrategy }>(create: (config: Config) => Client, config: Config): Client {
  const client = create(config);
  (client.middlewareStack as MiddlewareStack<object, object>).use(config.retryStrategy.sendingRatePlugin());
  return client;
}

/** Sends a call refused for its credentials once more with new ones (credential-renewal.ts), when they can be renewed. */
function withRenewal<Client extends SdkClient>(client: Client, renewal: CredentialRenewal | undefined): Client {
  if (renewal) (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).use(credentialRenewalPlugin(renewal));
  return client;
}
