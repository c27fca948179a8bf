// The server's configuration: every environment variable statusgraph reads, validated once at start into a
// frozen Config. Only src/main.ts passes process.env in; everything else receives the Config.
//
// | variable                              | default                                      | unit / accepts                                  |
// |---------------------------------------|----------------------------------------------|-------------------------------------------------|
// | PORT                                  | 4000                                         | TCP port 0–65535 (0 = ephemeral)                |
// | HOST                                  | 127.0.0.1 (emulator backend), 0.0.0.0 (aws)  | IPv4, IPv6 or host name to listen on            |
// | NODE_ENV                              | development                                  | development, production, test                  |
// | STATUSGRAPH_BACKEND                   | emulator                                     | emulator, aws                                   |
// | STATUSGRAPH_EMULATOR_ACCOUNTS         | 12                                           | member accounts of the demo organization, 1–10000|
// | STATUSGRAPH_EMULATOR_DELAY_MS         | 5000                                         | ms a transition takes in the emulator           |
// | STATUSGRAPH_EMULATOR_PORT             | 0                                            | TCP port of the embedded emulator (0 = ephemeral)|
// | STATUSGRAPH_MEMBER_ROLE_NAME          | OrganizationAccountAccessRole                | IAM role name assumed in member accounts        |
// | STATUSGRAPH_FLEETWISE_REGIONS         | us-east-1                                    | comma-separated region names                    |
// | STATUSGRAPH_POLL_FAST_MS              | 5000                                         | ms between polls of a transitional status       |
// | STATUSGRAPH_POLL_SLOW_MS              | 60000                                        | ms between polls of a settled status            |
// | STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS | 5000                                         | ms a transitional status stays cached           |
// | STATUSGRAPH_CACHE_TTL_SETTLED_MS      | 300000                                       | ms a settled status stays cached                |
// | STATUSGRAPH_AWS_TIMEOUT_MS            | 10000                                        | ms per AWS request attempt                      |
// | STATUSGRAPH_AWS_MAX_SOCKETS           | 50                                           | sockets per protocol in the shared agent        |
// | STATUSGRAPH_AWS_MAX_ATTEMPTS          | 3                                            | SDK attempts per call, retries included         |
// | STATUSGRAPH_AWS_RATE_LIMIT            | 20                                           | requests/s per (service, operation, region, account) |
// | STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT | 100                                          | STS AssumeRole requests/s (at least the above)  |
// | STATUSGRAPH_LOG_LEVEL                 | info                                         | fatal, error, warn, info, debug, trace, silent  |
// | STATUSGRAPH_PLAYGROUND                | true, false when NODE_ENV=production         | true, false, 1, 0                               |
// | STATUSGRAPH_CORS_ORIGINS              | (none)                                       | comma-separated origins, e.g. https://a.example |
// | STATUSGRAPH_AUTH                      | required when keys or a JWKS are set; none   | none, required (aws backend: must be decided)   |
// | STATUSGRAPH_API_KEYS                  | (none)                                       | comma-separated name:role:sha256-hex-of-token   |
// | STATUSGRAPH_JWKS_URL                  | (none)                                       | http(s) URL of the identity provider's JWKS     |
// | STATUSGRAPH_JWT_ISSUER                | (none; required with a JWKS)                 | the tokens' `iss`                               |
// | STATUSGRAPH_JWT_AUDIENCE              | (none; required with a JWKS)                 | the tokens' `aud`                               |
// | STATUSGRAPH_JWT_ROLE_CLAIM            | statusgraph_role                             | claim holding reader or operator                |
// | STATUSGRAPH_RATE_LIMIT_PER_MINUTE     | 600                                          | requests per minute per client                  |
// | STATUSGRAPH_MAX_DEPTH                 | 6                                            | selection depth of an operation                 |
// | STATUSGRAPH_MAX_ALIASES               | 15                                           | aliases per operation                           |
// | STATUSGRAPH_MAX_DIRECTIVES            | 50                                           | directives per operation                        |
// | STATUSGRAPH_MAX_TOKENS                | 1000                                         | lexical tokens per document                     |
// | STATUSGRAPH_MAX_COST                  | 5000                                         | graphql-armor cost per operation                |
// | STATUSGRAPH_TRUSTED_DOCUMENTS         | (none: any document)                         | path of a persisted-documents manifest          |
// | STATUSGRAPH_INTROSPECTION             | true, false when NODE_ENV=production         | true, false, 1, 0                               |
// | STATUSGRAPH_WS_PING_INTERVAL_MS       | 12000                                        | ms between WebSocket pings (dead peers go)      |
// | STATUSGRAPH_SHUTDOWN_TIMEOUT_MS       | 10000                                        | ms from SIGTERM to a forced exit                |
// | STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS | 8                                            | SDK attempts per call while AWS throttles       |
// | STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS     | 10000                                        | ms of calls the circuit breaker judges          |
// | STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS  | 5000                                         | ms an open circuit waits before one probe       |
// | STATUSGRAPH_REDIS_URL                 | (none: one instance, everything in-process)  | redis:// or rediss:// URL (password redacted)   |
// | STATUSGRAPH_POLLER_LEASE_MS           | 15000 (only with STATUSGRAPH_REDIS_URL)      | ms a poller lease lives without renewal         |
// | AWS_REGION                            | us-east-1                                    | region name                                     |
// | AWS_ENDPOINT_URL                      | (none: the real AWS endpoints)               | http(s) URL without credentials                 |
//
// An empty value counts as unset. Any other STATUSGRAPH_* variable is an error: it is almost always a typo.
import { z } from 'zod';
import { IAM_ROLE_NAME, REGION_NAME } from './aws-names.js';
import { ConfigError } from './config-error.js';

export type Backend = 'emulator' | 'aws';
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AuthMode = 'none' | 'required';
/** reader: queries and subscriptions; operator: mutations too. */
export type Role = 'reader' | 'operator';

/** One API key: who holds it, what it may do, and the SHA-256 of its token (the token itself is never stored). */
export interface ApiKeyConfig {
  readonly name: string;
  readonly role: Role;
  /** Lower-case hex SHA-256 of the bearer token. */
  readonly sha256: string;
}

/** OIDC/JWT bearer tokens, verified against the identity provider's published keys. */
export interface JwtConfig {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** The claim that carries `reader` or `operator`. */
  readonly roleClaim: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: NodeEnv;
  readonly backend: Backend;
  /** The embedded emulator; only used when backend is `emulator`. */
  readonly emulator: {
    /** Member accounts of the demo organization (the emulator's `memberAccounts`). */
    readonly accounts: number;
    readonly delayMs: number;
    readonly port: number;
  };
  readonly memberRoleName: string;
  readonly fleetwiseRegions: readonly string[];
  readonly poll: { readonly fastMs: number; readonly slowMs: number };
  readonly cacheTtl: { readonly transitionalMs: number; readonly settledMs: number };
  readonly aws: {
    readonly region: string;
    /** AWS_ENDPOINT_URL: every client, FleetWise included, talks to this endpoint when set. */
    readonly endpoint?: string;
    readonly timeoutMs: number;
    readonly maxSockets: number;
    readonly maxAttempts: number;
    /** Attempts per call when every failure was throttling (AWS asked us to slow down, not that it is broken). */
    readonly throttleMaxAttempts: number;
    readonly rateLimitPerSecond: number;
    /** STS AssumeRole's own rate (one call per member account), at least rateLimitPerSecond. */
    readonly assumeRoleRatePerSecond: number;
    /** The circuit breaker per (service, region). */
    readonly circuitBreaker: { readonly windowMs: number; readonly halfOpenMs: number };
  };
  readonly logLevel: LogLevel;
  readonly playground: boolean;
  readonly corsOrigins: readonly string[];
  readonly auth: {
    /** none: everyone is an operator (the demo); required: every request and socket authenticates. */
    readonly mode: AuthMode;
    readonly apiKeys: readonly ApiKeyConfig[];
    readonly jwt?: JwtConfig;
  };
  /** What one client may ask of the server; everything past a limit is refused before any AWS call. */
  readonly limits: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
    readonly maxCost: number;
    readonly rateLimitPerMinute: number;
    readonly wsPingIntervalMs: number;
  };
  /** Path of the trusted-documents manifest; when set, only its operations run. */
  readonly trustedDocuments?: string;
  readonly introspection: boolean;
  /** From SIGTERM to a forced exit; in-flight work gets most of it. */
  readonly shutdownTimeoutMs: number;
  /** Several instances behind one Redis (architecture §8); absent: one instance, everything in-process. */
  readonly redis?: {
    /** redis:// or rediss:// URL; may carry a password, so it is never logged. */
    readonly url: string;
    /** How long a poller lease lives without renewal: a dead instance's pollers move within about this long. */
    readonly pollerLeaseMs: number;
  };
}

/** One documented variable, for the README and `--help`-style listings. */
export interface ConfigVariable {
  readonly name: string;
  /** The default as people read it (`5000`, `(none)`, or a rule). */
  readonly default: string;
  /** What a value may be, with its unit. */
  readonly accepts: string;
  readonly description: string;
}

// ---- defaults, with their units -------------------------------------------------------------------------

export const DEFAULT_PORT = 4000;
export const DEFAULT_EMULATOR_ACCOUNTS = 12;
export const DEFAULT_EMULATOR_DELAY_MS = 5_000; // 5 seconds
export const DEFAULT_EMULATOR_PORT = 0; // ephemeral
export const DEFAULT_MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_FLEETWISE_REGIONS = ['us-east-1'] as const;
export const DEFAULT_POLL_FAST_MS = 5_000; // 5 seconds
export const DEFAULT_POLL_SLOW_MS = 60_000; // 1 minute
export const DEFAULT_CACHE_TTL_TRANSITIONAL_MS = 5_000; // 5 seconds
export const DEFAULT_CACHE_TTL_SETTLED_MS = 300_000; // 5 minutes
export const DEFAULT_AWS_TIMEOUT_MS = 10_000; // 10 seconds
export const DEFAULT_AWS_MAX_SOCKETS = 50;
export const DEFAULT_AWS_MAX_ATTEMPTS = 3;
export const DEFAULT_AWS_RATE_LIMIT_PER_SECOND = 20;
/** A cold 1,000-member organization assumes its roles in 10 s; once an hour after that. */
export const DEFAULT_AWS_ASSUME_ROLE_RATE_PER_SECOND = 100;
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const DEFAULT_AWS_REGION = 'us-east-1';
export const DEFAULT_AWS_THROTTLE_MAX_ATTEMPTS = 8;
export const DEFAULT_AWS_CIRCUIT_WINDOW_MS = 10_000; // 10 seconds
export const DEFAULT_AWS_CIRCUIT_HALF_OPEN_MS = 5_000; // 5 seconds: one fast poll interval
export const DEFAULT_JWT_ROLE_CLAIM = 'statusgraph_role';
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
// graphql-armor's defaults, except aliases (15, the issue's number).
export const DEFAULT_MAX_DEPTH = 6;
export const DEFAULT_MAX_ALIASES = 15;
export const DEFAULT_MAX_DIRECTIVES = 50;
export const DEFAULT_MAX_TOKENS = 1_000;
export const DEFAULT_MAX_COST = 5_000;
export const DEFAULT_WS_PING_INTERVAL_MS = 12_000; // 12 seconds, graphql-ws's own default
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000; // 10 seconds
export const DEFAULT_POLLER_LEASE_MS = 15_000; // 15 seconds
const LOCAL_HOST = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

const MAX_TCP_PORT = 65_535;
const MAX_EMULATOR_ACCOUNTS = 10_000;
const ONE_HOUR_MS = 3_600_000;
const ONE_DAY_MS = 86_400_000;
/** Polling faster than this would spend the AWS budget on nothing. */
const MIN_POLL_MS = 100;
const MAX_AWS_TIMEOUT_MS = 300_000; // 5 minutes
const MAX_AWS_MAX_SOCKETS = 1_000;
const MAX_AWS_MAX_ATTEMPTS = 10;
const MAX_AWS_RATE_LIMIT_PER_SECOND = 10_000;
const MAX_AWS_THROTTLE_MAX_ATTEMPTS = 20;
const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
const MAX_DOCUMENT_LIMIT = 100_000;
/** Leases are renewed three times a period; much shorter and Redis hears from every instance all the time. */
const MIN_POLLER_LEASE_MS = 300;

// ---- value schemas: each parses the raw string of one variable ------------------------------------------

/** Plain decimal digits only: `5e3`, `0x10`, `1.0` and ` 5` are typos, not numbers. */
const integerIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

/** true/false/1/0 in any letter case. */
const booleanFlag = z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] });

const regionName = z.string().regex(REGION_NAME);

const host = z.union([z.ipv4(), z.ipv6(), z.hostname()]);

/** Splits a comma list, trimming blanks around items; duplicates collapse (first one wins). */
const commaList = <T>(item: z.ZodType<T, string>) =>
  z
    .string()
    .transform((raw) => [...new Set(raw.split(',').map((part) => part.trim()))])
    .pipe(z.array(item).min(1));

/** An origin is exactly scheme://host[:port] over http(s): no path, query, fragment or credentials. */
const origin = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
});

/** `name:role:sha256-hex`: a name for logs and rate limits, reader or operator, and the hash of the token. */
const API_KEY_ENTRY = /^([\w.-]{1,64}):(reader|operator):([0-9a-fA-F]{64})$/;
const apiKeyList = commaList(z.string().regex(API_KEY_ENTRY))
  .transform((entries) =>
    entries.map((entry): ApiKeyConfig => {
      const [, name = '', role = '', sha256 = ''] = API_KEY_ENTRY.exec(entry) ?? [];
      return { name, role: role as Role, sha256: sha256.toLowerCase() };
    }),
  )
  .refine((keys) => new Set(keys.map((key) => key.name)).size === keys.length);

/** Claim names are plain (`statusgraph_role`) or namespaced URLs (`https://example.com/role`). */
const claimName = z.string().regex(/^[\w.:/-]{1,256}$/);
const plainText = z.string().min(1).max(1_024);

const endpointUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === ''
  );
});

/** redis:// (or rediss:// for TLS) with a host; a password and a /db number may follow, as ioredis reads them. */
const redisUrl = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^\/?\d*$/.test(url.pathname) && url.hash === '';
});

// ---- the variables ----------------------------------------------------------------------------------------

interface VariableSpec<T> extends ConfigVariable {
  readonly schema: z.ZodType<T, string>;
}

const variable = <T>(spec: VariableSpec<T>): VariableSpec<T> => spec;

const VARIABLES = {
  PORT: variable({
    name: 'PORT',
    default: String(DEFAULT_PORT),
    accepts: `an integer TCP port from 0 to ${MAX_TCP_PORT} (0 = ephemeral)`,
    description: 'Port of the GraphQL API (HTTP and WebSocket).',
    schema: integerIn(0, MAX_TCP_PORT),
  }),
  HOST: variable({
    name: 'HOST',
    default: `${LOCAL_HOST} with the emulator backend, ${ALL_INTERFACES} with the aws backend`,
    accepts: 'an IPv4 address, an IPv6 address or a host name',
    description: 'Interface the API listens on.',
    schema: host,
  }),
  NODE_ENV: variable({
    name: 'NODE_ENV',
    default: 'development',
    accepts: 'one of development, production, test',
    description: 'Runtime environment; production hides the playground and internal error details.',
    schema: oneOf(['development', 'production', 'test']),
  }),
  STATUSGRAPH_BACKEND: variable({
    name: 'STATUSGRAPH_BACKEND',
    default: 'emulator',
    accepts: 'one of emulator, aws',
    description: 'emulator: start the embedded AWS emulator with a demo organization; aws: the default credential chain.',
    schema: oneOf(['emulator', 'aws']),
  }),
  STATUSGRAPH_EMULATOR_ACCOUNTS: variable({
    name: 'STATUSGRAPH_EMULATOR_ACCOUNTS',
    default: String(DEFAULT_EMULATOR_ACCOUNTS),
    accepts: `an integer from 1 to ${MAX_EMULATOR_ACCOUNTS} (member accounts)`,
    description: "Member accounts of the emulator's demo organization; the management account comes on top.",
    schema: integerIn(1, MAX_EMULATOR_ACCOUNTS),
  }),
  STATUSGRAPH_EMULATOR_DELAY_MS: variable({
    name: 'STATUSGRAPH_EMULATOR_DELAY_MS',
    default: String(DEFAULT_EMULATOR_DELAY_MS),
    accepts: `an integer from 0 to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'How long a registration, enrollment or account creation stays transitional in the emulator.',
    schema: integerIn(0, ONE_HOUR_MS),
  }),
  STATUSGRAPH_EMULATOR_PORT: variable({
    name: 'STATUSGRAPH_EMULATOR_PORT',
    default: `${DEFAULT_EMULATOR_PORT} (ephemeral)`,
    accepts: `an integer TCP port from 0 to ${MAX_TCP_PORT} (0 = ephemeral)`,
    description: 'Port of the embedded emulator.',
    schema: integerIn(0, MAX_TCP_PORT),
  }),
  STATUSGRAPH_MEMBER_ROLE_NAME: variable({
    name: 'STATUSGRAPH_MEMBER_ROLE_NAME',
    default: DEFAULT_MEMBER_ROLE_NAME,
    accepts: 'an IAM role name: 1 to 64 letters, digits or +=,.@_-',
    description: 'Role assumed in member accounts to read their FleetWise and Compute Optimizer status.',
    schema: z.string().regex(IAM_ROLE_NAME),
  }),
  STATUSGRAPH_FLEETWISE_REGIONS: variable({
    name: 'STATUSGRAPH_FLEETWISE_REGIONS',
    default: DEFAULT_FLEETWISE_REGIONS.join(','),
    accepts: 'a comma-separated list of region names such as us-east-1,eu-central-1',
    description: 'Regions whose FleetWise registration is reported when a query names none.',
    schema: commaList(regionName),
  }),
  STATUSGRAPH_POLL_FAST_MS: variable({
    name: 'STATUSGRAPH_POLL_FAST_MS',
    default: String(DEFAULT_POLL_FAST_MS),
    accepts: `an integer from ${MIN_POLL_MS} to ${ONE_DAY_MS} (milliseconds)`,
    description: 'Interval between polls of a transitional status (subscriptions).',
    schema: integerIn(MIN_POLL_MS, ONE_DAY_MS),
  }),
  STATUSGRAPH_POLL_SLOW_MS: variable({
    name: 'STATUSGRAPH_POLL_SLOW_MS',
    default: String(DEFAULT_POLL_SLOW_MS),
    accepts: `an integer from ${MIN_POLL_MS} to ${ONE_DAY_MS} (milliseconds), not below STATUSGRAPH_POLL_FAST_MS`,
    description: 'Interval between polls of a settled status (subscriptions).',
    schema: integerIn(MIN_POLL_MS, ONE_DAY_MS),
  }),
  STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS: variable({
    name: 'STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS',
    default: String(DEFAULT_CACHE_TTL_TRANSITIONAL_MS),
    accepts: `an integer from 0 to ${ONE_DAY_MS} (milliseconds)`,
    description: 'How long a transitional status (PENDING, IN_PROGRESS) is served from the cache.',
    schema: integerIn(0, ONE_DAY_MS),
  }),
  STATUSGRAPH_CACHE_TTL_SETTLED_MS: variable({
    name: 'STATUSGRAPH_CACHE_TTL_SETTLED_MS',
    default: String(DEFAULT_CACHE_TTL_SETTLED_MS),
    accepts: `an integer from 0 to ${ONE_DAY_MS} (milliseconds), not below STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS`,
    description: 'How long a settled status is served from the cache.',
    schema: integerIn(0, ONE_DAY_MS),
  }),
  STATUSGRAPH_AWS_TIMEOUT_MS: variable({
    name: 'STATUSGRAPH_AWS_TIMEOUT_MS',
    default: String(DEFAULT_AWS_TIMEOUT_MS),
    accepts: `an integer from 1 to ${MAX_AWS_TIMEOUT_MS} (milliseconds)`,
    description: 'Connection and request timeout of each AWS request attempt.',
    schema: integerIn(1, MAX_AWS_TIMEOUT_MS),
  }),
  STATUSGRAPH_AWS_MAX_SOCKETS: variable({
    name: 'STATUSGRAPH_AWS_MAX_SOCKETS',
    default: String(DEFAULT_AWS_MAX_SOCKETS),
    accepts: `an integer from 1 to ${MAX_AWS_MAX_SOCKETS} (sockets)`,
    description: 'Sockets per protocol in the keep-alive agent that every AWS client shares.',
    schema: integerIn(1, MAX_AWS_MAX_SOCKETS),
  }),
  STATUSGRAPH_AWS_MAX_ATTEMPTS: variable({
    name: 'STATUSGRAPH_AWS_MAX_ATTEMPTS',
    default: String(DEFAULT_AWS_MAX_ATTEMPTS),
    accepts: `an integer from 1 to ${MAX_AWS_MAX_ATTEMPTS} (attempts, retries included)`,
    description: 'Attempts the SDK makes per AWS call (CreateAccount is always sent once).',
    schema: integerIn(1, MAX_AWS_MAX_ATTEMPTS),
  }),
  STATUSGRAPH_AWS_RATE_LIMIT: variable({
    name: 'STATUSGRAPH_AWS_RATE_LIMIT',
    default: String(DEFAULT_AWS_RATE_LIMIT_PER_SECOND),
    accepts: `an integer from 1 to ${MAX_AWS_RATE_LIMIT_PER_SECOND} (requests per second)`,
    description:
      'Requests per second per (service, operation, region, account) — member accounts have their own AWS quotas; STS AssumeRole, made from the management account, has its own rate (STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT). Calls beyond it queue.',
    schema: integerIn(1, MAX_AWS_RATE_LIMIT_PER_SECOND),
  }),
  STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT: variable({
    name: 'STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT',
    default: String(DEFAULT_AWS_ASSUME_ROLE_RATE_PER_SECOND),
    accepts: `an integer from 1 to ${MAX_AWS_RATE_LIMIT_PER_SECOND} (requests per second)`,
    description:
      'STS AssumeRole requests per second from the management account, one per member account per credential lifetime (never below STATUSGRAPH_AWS_RATE_LIMIT). Raise it to what your STS quota allows to shorten the first query of a large organization.',
    schema: integerIn(1, MAX_AWS_RATE_LIMIT_PER_SECOND),
  }),
  STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS: variable({
    name: 'STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS',
    default: String(DEFAULT_AWS_THROTTLE_MAX_ATTEMPTS),
    accepts: `an integer from 1 to ${MAX_AWS_THROTTLE_MAX_ATTEMPTS} (attempts), not below STATUSGRAPH_AWS_MAX_ATTEMPTS`,
    description: 'Attempts per AWS call while AWS answers with throttling errors (backed off exponentially).',
    schema: integerIn(1, MAX_AWS_THROTTLE_MAX_ATTEMPTS),
  }),
  STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS: variable({
    name: 'STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS',
    default: String(DEFAULT_AWS_CIRCUIT_WINDOW_MS),
    accepts: `an integer from 1000 to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'The circuit per (service, region) opens when most calls in this window failed (5xx, timeouts, network).',
    schema: integerIn(1_000, ONE_HOUR_MS),
  }),
  STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS: variable({
    name: 'STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS',
    default: String(DEFAULT_AWS_CIRCUIT_HALF_OPEN_MS),
    accepts: `an integer from 100 to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'How long an open circuit refuses calls before it lets one probe through.',
    schema: integerIn(100, ONE_HOUR_MS),
  }),
  STATUSGRAPH_LOG_LEVEL: variable({
    name: 'STATUSGRAPH_LOG_LEVEL',
    default: DEFAULT_LOG_LEVEL,
    accepts: 'one of fatal, error, warn, info, debug, trace, silent',
    description: 'Minimum level of the JSON logs.',
    schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  STATUSGRAPH_PLAYGROUND: variable({
    name: 'STATUSGRAPH_PLAYGROUND',
    default: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Serve the GraphQL playground at the API path.',
    schema: booleanFlag,
  }),
  STATUSGRAPH_CORS_ORIGINS: variable({
    name: 'STATUSGRAPH_CORS_ORIGINS',
    default: '(none)',
    accepts: 'a comma-separated list of origins such as https://console.example.com,http://localhost:5173',
    description: 'Browser origins allowed to call the API.',
    schema: commaList(origin),
  }),
  STATUSGRAPH_AUTH: variable({
    name: 'STATUSGRAPH_AUTH',
    default: 'required when STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL is set, none otherwise (the aws backend refuses to guess)',
    accepts: 'one of none, required',
    description: 'required: every HTTP request and WebSocket authenticates; none: everyone may do everything (the demo).',
    schema: oneOf(['none', 'required']),
  }),
  STATUSGRAPH_API_KEYS: variable({
    name: 'STATUSGRAPH_API_KEYS',
    default: '(none)',
    accepts: 'a comma-separated list of name:role:sha256-hex-of-token entries, role reader or operator, names unique',
    description: 'API keys, sent as Authorization: Bearer <token>; only the SHA-256 of each token is configured.',
    schema: apiKeyList,
  }),
  STATUSGRAPH_JWKS_URL: variable({
    name: 'STATUSGRAPH_JWKS_URL',
    default: '(none)',
    accepts: 'an http(s) URL without credentials, query or fragment, such as https://idp.example.com/.well-known/jwks.json',
    description: "The identity provider's JSON Web Key Set; bearer JWTs signed by one of its keys are accepted.",
    schema: endpointUrl,
  }),
  STATUSGRAPH_JWT_ISSUER: variable({
    name: 'STATUSGRAPH_JWT_ISSUER',
    default: '(none; required with STATUSGRAPH_JWKS_URL)',
    accepts: 'the exact iss claim of the tokens, 1 to 1024 characters',
    description: 'Tokens from any other issuer are refused.',
    schema: plainText,
  }),
  STATUSGRAPH_JWT_AUDIENCE: variable({
    name: 'STATUSGRAPH_JWT_AUDIENCE',
    default: '(none; required with STATUSGRAPH_JWKS_URL)',
    accepts: 'the aud claim the tokens must carry, 1 to 1024 characters',
    description: 'Tokens minted for any other audience are refused.',
    schema: plainText,
  }),
  STATUSGRAPH_JWT_ROLE_CLAIM: variable({
    name: 'STATUSGRAPH_JWT_ROLE_CLAIM',
    default: DEFAULT_JWT_ROLE_CLAIM,
    accepts: 'a claim name such as statusgraph_role or https://example.com/role',
    description: 'The JWT claim that holds reader or operator (a string, or an array of strings).',
    schema: claimName,
  }),
  STATUSGRAPH_RATE_LIMIT_PER_MINUTE: variable({
    name: 'STATUSGRAPH_RATE_LIMIT_PER_MINUTE',
    default: String(DEFAULT_RATE_LIMIT_PER_MINUTE),
    accepts: `an integer from 1 to ${MAX_RATE_LIMIT_PER_MINUTE} (requests per minute)`,
    description: 'HTTP requests and WebSocket operations per minute per client (API key or token subject, else IP).',
    schema: integerIn(1, MAX_RATE_LIMIT_PER_MINUTE),
  }),
  STATUSGRAPH_MAX_DEPTH: variable({
    name: 'STATUSGRAPH_MAX_DEPTH',
    default: String(DEFAULT_MAX_DEPTH),
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (levels of selection)`,
    description: "Deepest selection an operation may make, counted from the operation's own fields.",
    schema: integerIn(1, MAX_DOCUMENT_LIMIT),
  }),
  STATUSGRAPH_MAX_ALIASES: variable({
    name: 'STATUSGRAPH_MAX_ALIASES',
    default: String(DEFAULT_MAX_ALIASES),
    accepts: `an integer from 0 to ${MAX_DOCUMENT_LIMIT} (aliases)`,
    description: 'Aliases one operation may use (each alias can repeat expensive work).',
    schema: integerIn(0, MAX_DOCUMENT_LIMIT),
  }),
  STATUSGRAPH_MAX_DIRECTIVES: variable({
    name: 'STATUSGRAPH_MAX_DIRECTIVES',
    default: String(DEFAULT_MAX_DIRECTIVES),
    accepts: `an integer from 0 to ${MAX_DOCUMENT_LIMIT} (directives)`,
    description: 'Directives one operation may carry.',
    schema: integerIn(0, MAX_DOCUMENT_LIMIT),
  }),
  STATUSGRAPH_MAX_TOKENS: variable({
    name: 'STATUSGRAPH_MAX_TOKENS',
    default: String(DEFAULT_MAX_TOKENS),
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (lexical tokens)`,
    description: 'Tokens the parser reads before it gives up on a document.',
    schema: integerIn(1, MAX_DOCUMENT_LIMIT),
  }),
  STATUSGRAPH_MAX_COST: variable({
    name: 'STATUSGRAPH_MAX_COST',
    default: String(DEFAULT_MAX_COST),
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (graphql-armor cost units)`,
    description: "Cost one operation may have in graphql-armor's model (objects 2, scalars 1, growing with depth).",
    schema: integerIn(1, MAX_DOCUMENT_LIMIT),
  }),
  STATUSGRAPH_TRUSTED_DOCUMENTS: variable({
    name: 'STATUSGRAPH_TRUSTED_DOCUMENTS',
    default: '(none: any document is accepted)',
    accepts: 'the path of a persisted-documents manifest, { "<sha256 hash>": "<document>" }',
    description: 'When set, only the operations in the manifest run, sent by hash (documentId or Apollo persistedQuery).',
    schema: plainText,
  }),
  STATUSGRAPH_INTROSPECTION: variable({
    name: 'STATUSGRAPH_INTROSPECTION',
    default: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Answer schema introspection queries.',
    schema: booleanFlag,
  }),
  STATUSGRAPH_WS_PING_INTERVAL_MS: variable({
    name: 'STATUSGRAPH_WS_PING_INTERVAL_MS',
    default: String(DEFAULT_WS_PING_INTERVAL_MS),
    accepts: `an integer from ${MIN_POLL_MS} to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'Interval of WebSocket pings; a socket that has not answered by the next ping is terminated.',
    schema: integerIn(MIN_POLL_MS, ONE_HOUR_MS),
  }),
  STATUSGRAPH_SHUTDOWN_TIMEOUT_MS: variable({
    name: 'STATUSGRAPH_SHUTDOWN_TIMEOUT_MS',
    default: String(DEFAULT_SHUTDOWN_TIMEOUT_MS),
    accepts: `an integer from 1000 to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'Time from SIGTERM to a forced exit; in-flight operations get most of it to finish.',
    schema: integerIn(1_000, ONE_HOUR_MS),
  }),
  STATUSGRAPH_REDIS_URL: variable({
    name: 'STATUSGRAPH_REDIS_URL',
    default: '(none: one instance, everything in-process)',
    accepts: 'a redis:// or rediss:// URL such as redis://:password@redis.internal:6379/0',
    description:
      'Several instances share one Redis: subscription events, one poller per watched status, the status cache and createAccount idempotency keys.',
    schema: redisUrl,
  }),
  STATUSGRAPH_POLLER_LEASE_MS: variable({
    name: 'STATUSGRAPH_POLLER_LEASE_MS',
    default: `${DEFAULT_POLLER_LEASE_MS} (only with STATUSGRAPH_REDIS_URL)`,
    accepts: `an integer from ${MIN_POLLER_LEASE_MS} to ${ONE_HOUR_MS} (milliseconds)`,
    description: "How long a poller lease lives without renewal: a stopped instance's statuses are polled by another within about this long.",
    schema: integerIn(MIN_POLLER_LEASE_MS, ONE_HOUR_MS),
  }),
  AWS_REGION: variable({
    name: 'AWS_REGION',
    default: DEFAULT_AWS_REGION,
    accepts: 'a region name such as us-east-1',
    description: 'Region of the regional clients (Compute Optimizer, STS); Organizations is always us-east-1.',
    schema: regionName,
  }),
  AWS_ENDPOINT_URL: variable({
    name: 'AWS_ENDPOINT_URL',
    default: '(none: the AWS endpoints)',
    accepts: 'an http(s) URL without credentials, query or fragment, such as http://127.0.0.1:4566',
    description: 'One endpoint for every AWS client, FleetWise included (a standalone emulator).',
    schema: endpointUrl,
  }),
} as const;

/** Every variable statusgraph reads, with its default and what it accepts (the README's table). */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze(
  Object.values(VARIABLES).map(({ name, default: defaultValue, accepts, description }) =>
    Object.freeze({ name, default: defaultValue, accepts, description }),
  ),
);

const STATUSGRAPH_PREFIX = 'STATUSGRAPH_';

// ---- loading ----------------------------------------------------------------------------------------------

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment into a deeply frozen Config.
 * @throws ConfigError for the first unknown STATUSGRAPH_* variable or bad value, naming it.
 */
export function loadConfig(env: Env): Config {
  rejectUnknownVariables(env);

  const read: Read = <T>(spec: VariableSpec<T>): T | undefined => {
    const raw = env[spec.name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) throw ConfigError.badValue(spec.name, raw, spec.accepts);
    return parsed.data;
  };

  const port = read(VARIABLES.PORT) ?? DEFAULT_PORT;
  const nodeEnv = read(VARIABLES.NODE_ENV) ?? 'development';
  const backend = read(VARIABLES.STATUSGRAPH_BACKEND) ?? 'emulator';
  const hostName = read(VARIABLES.HOST) ?? (backend === 'emulator' ? LOCAL_HOST : ALL_INTERFACES);
  const emulatorAccounts = read(VARIABLES.STATUSGRAPH_EMULATOR_ACCOUNTS) ?? DEFAULT_EMULATOR_ACCOUNTS;
  const emulatorDelayMs = read(VARIABLES.STATUSGRAPH_EMULATOR_DELAY_MS) ?? DEFAULT_EMULATOR_DELAY_MS;
  const emulatorPort = read(VARIABLES.STATUSGRAPH_EMULATOR_PORT) ?? DEFAULT_EMULATOR_PORT;
  const memberRoleName = read(VARIABLES.STATUSGRAPH_MEMBER_ROLE_NAME) ?? DEFAULT_MEMBER_ROLE_NAME;
  const fleetwiseRegions = read(VARIABLES.STATUSGRAPH_FLEETWISE_REGIONS) ?? [...DEFAULT_FLEETWISE_REGIONS];
  const pollFastMs = read(VARIABLES.STATUSGRAPH_POLL_FAST_MS) ?? DEFAULT_POLL_FAST_MS;
  const pollSlowMs = read(VARIABLES.STATUSGRAPH_POLL_SLOW_MS) ?? DEFAULT_POLL_SLOW_MS;
  const ttlTransitionalMs = read(VARIABLES.STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS) ?? DEFAULT_CACHE_TTL_TRANSITIONAL_MS;
  const ttlSettledMs = read(VARIABLES.STATUSGRAPH_CACHE_TTL_SETTLED_MS) ?? DEFAULT_CACHE_TTL_SETTLED_MS;
  const awsTimeoutMs = read(VARIABLES.STATUSGRAPH_AWS_TIMEOUT_MS) ?? DEFAULT_AWS_TIMEOUT_MS;
  const awsMaxSockets = read(VARIABLES.STATUSGRAPH_AWS_MAX_SOCKETS) ?? DEFAULT_AWS_MAX_SOCKETS;
  const awsMaxAttempts = read(VARIABLES.STATUSGRAPH_AWS_MAX_ATTEMPTS) ?? DEFAULT_AWS_MAX_ATTEMPTS;
  const awsRateLimit = read(VARIABLES.STATUSGRAPH_AWS_RATE_LIMIT) ?? DEFAULT_AWS_RATE_LIMIT_PER_SECOND;
  const assumeRoleRate = read(VARIABLES.STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT) ?? DEFAULT_AWS_ASSUME_ROLE_RATE_PER_SECOND;
  const logLevel = read(VARIABLES.STATUSGRAPH_LOG_LEVEL) ?? DEFAULT_LOG_LEVEL;
  const playground = read(VARIABLES.STATUSGRAPH_PLAYGROUND) ?? nodeEnv !== 'production';
  const corsOrigins = read(VARIABLES.STATUSGRAPH_CORS_ORIGINS) ?? [];
  const awsRegion = read(VARIABLES.AWS_REGION) ?? DEFAULT_AWS_REGION;
  const awsEndpoint = read(VARIABLES.AWS_ENDPOINT_URL);
  const awsThrottleMaxAttempts = read(VARIABLES.STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS) ?? Math.max(DEFAULT_AWS_THROTTLE_MAX_ATTEMPTS, awsMaxAttempts);
  const circuitWindowMs = read(VARIABLES.STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS) ?? DEFAULT_AWS_CIRCUIT_WINDOW_MS;
  const circuitHalfOpenMs = read(VARIABLES.STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS) ?? DEFAULT_AWS_CIRCUIT_HALF_OPEN_MS;
  const auth = readAuth(read, backend);
  const limits = {
    maxDepth: read(VARIABLES.STATUSGRAPH_MAX_DEPTH) ?? DEFAULT_MAX_DEPTH,
    maxAliases: read(VARIABLES.STATUSGRAPH_MAX_ALIASES) ?? DEFAULT_MAX_ALIASES,
    maxDirectives: read(VARIABLES.STATUSGRAPH_MAX_DIRECTIVES) ?? DEFAULT_MAX_DIRECTIVES,
    maxTokens: read(VARIABLES.STATUSGRAPH_MAX_TOKENS) ?? DEFAULT_MAX_TOKENS,
    maxCost: read(VARIABLES.STATUSGRAPH_MAX_COST) ?? DEFAULT_MAX_COST,
    rateLimitPerMinute: read(VARIABLES.STATUSGRAPH_RATE_LIMIT_PER_MINUTE) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    wsPingIntervalMs: read(VARIABLES.STATUSGRAPH_WS_PING_INTERVAL_MS) ?? DEFAULT_WS_PING_INTERVAL_MS,
  };
  const trustedDocuments = read(VARIABLES.STATUSGRAPH_TRUSTED_DOCUMENTS);
  const introspection = read(VARIABLES.STATUSGRAPH_INTROSPECTION) ?? nodeEnv !== 'production';
  const shutdownTimeoutMs = read(VARIABLES.STATUSGRAPH_SHUTDOWN_TIMEOUT_MS) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const redis = readRedis(read);

  // Cross-variable rules: a slow poll faster than the fast one, or a settled TTL shorter than the transitional
  // one, inverts the design (settled states are the ones worth keeping).
  if (pollSlowMs < pollFastMs) {
    throw ConfigError.badValue(
      VARIABLES.STATUSGRAPH_POLL_SLOW_MS.name,
      String(pollSlowMs),
      `a value not below STATUSGRAPH_POLL_FAST_MS (${pollFastMs} ms)`,
    );
  }
  if (ttlSettledMs < ttlTransitionalMs) {
    throw ConfigError.badValue(
      VARIABLES.STATUSGRAPH_CACHE_TTL_SETTLED_MS.name,
      String(ttlSettledMs),
      `a value not below STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS (${ttlTransitionalMs} ms)`,
    );
  }

  if (awsThrottleMaxAttempts < awsMaxAttempts) {
    throw ConfigError.badValue(
      VARIABLES.STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS.name,
      String(awsThrottleMaxAttempts),
      `a value not below STATUSGRAPH_AWS_MAX_ATTEMPTS (${awsMaxAttempts})`,
    );
  }

  const config: Config = {
    port,
    host: hostName,
    nodeEnv,
    backend,
    emulator: { accounts: emulatorAccounts, delayMs: emulatorDelayMs, port: emulatorPort },
    memberRoleName,
    fleetwiseRegions,
    poll: { fastMs: pollFastMs, slowMs: pollSlowMs },
    cacheTtl: { transitionalMs: ttlTransitionalMs, settledMs: ttlSettledMs },
    aws: {
      region: awsRegion,
      ...(awsEndpoint === undefined ? {} : { endpoint: awsEndpoint }),
      timeoutMs: awsTimeoutMs,
      maxSockets: awsMaxSockets,
      maxAttempts: awsMaxAttempts,
      throttleMaxAttempts: awsThrottleMaxAttempts,
      rateLimitPerSecond: awsRateLimit,
      assumeRoleRatePerSecond: Math.max(assumeRoleRate, awsRateLimit),
      circuitBreaker: { windowMs: circuitWindowMs, halfOpenMs: circuitHalfOpenMs },
    },
    logLevel,
    playground,
    corsOrigins,
    auth,
    limits,
    ...(trustedDocuments === undefined ? {} : { trustedDocuments }),
    introspection,
    shutdownTimeoutMs,
    ...(redis === undefined ? {} : { redis }),
  };
  return deepFreeze(config);
}

type Read = <T>(spec: VariableSpec<T>) => T | undefined;

/**
 * Who may call the server. Contradictions stop it: a JWKS without issuer or audience would accept tokens minted for
 * anyone, `required` with no credential source would lock everyone out, and the aws backend never runs open by
 * default — it can create AWS accounts, so running without authentication must be said out loud.
 */
function readAuth(read: Read, backend: Backend): Config['auth'] {
  const mode = read(VARIABLES.STATUSGRAPH_AUTH);
  const apiKeys = read(VARIABLES.STATUSGRAPH_API_KEYS) ?? [];
  const jwksUrl = read(VARIABLES.STATUSGRAPH_JWKS_URL);
  const issuer = read(VARIABLES.STATUSGRAPH_JWT_ISSUER);
  const audience = read(VARIABLES.STATUSGRAPH_JWT_AUDIENCE);
  const roleClaim = read(VARIABLES.STATUSGRAPH_JWT_ROLE_CLAIM);

  let jwt: JwtConfig | undefined;
  if (jwksUrl === undefined) {
    for (const [spec, value] of [
      [VARIABLES.STATUSGRAPH_JWT_ISSUER, issuer],
      [VARIABLES.STATUSGRAPH_JWT_AUDIENCE, audience],
      [VARIABLES.STATUSGRAPH_JWT_ROLE_CLAIM, roleClaim],
    ] as const) {
      if (value !== undefined) throw new ConfigError(spec.name, ' has no effect without STATUSGRAPH_JWKS_URL; set both or neither');
    }
  } else {
    if (issuer === undefined) throw new ConfigError(VARIABLES.STATUSGRAPH_JWT_ISSUER.name, ' is required with STATUSGRAPH_JWKS_URL');
    if (audience === undefined) throw new ConfigError(VARIABLES.STATUSGRAPH_JWT_AUDIENCE.name, ' is required with STATUSGRAPH_JWKS_URL');
    jwt = { jwksUrl, issuer, audience, roleClaim: roleClaim ?? DEFAULT_JWT_ROLE_CLAIM };
  }

  const hasCredentials = apiKeys.length > 0 || jwt !== undefined;
  const name = VARIABLES.STATUSGRAPH_AUTH.name;
  if (mode === 'required' && !hasCredentials) {
    throw new ConfigError(name, '=required needs STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL: nobody could get in');
  }
  if (mode === 'none' && hasCredentials) {
    throw new ConfigError(name, '=none contradicts the configured STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL; unset one side');
  }
  if (mode === undefined && !hasCredentials && backend === 'aws') {
    throw new ConfigError(
      name,
      ' must be decided with STATUSGRAPH_BACKEND=aws: configure STATUSGRAPH_API_KEYS or STATUSGRAPH_JWKS_URL, or set STATUSGRAPH_AUTH=none to run without authentication',
    );
  }
  return {
    mode: mode ?? (hasCredentials ? 'required' : 'none'),
    apiKeys,
    ...(jwt === undefined ? {} : { jwt }),
  };
}

/** A lease period means nothing without the Redis that holds the leases. */
function readRedis(read: Read): Config['redis'] {
  const url = read(VARIABLES.STATUSGRAPH_REDIS_URL);
  const pollerLeaseMs = read(VARIABLES.STATUSGRAPH_POLLER_LEASE_MS);
  if (url === undefined) {
    if (pollerLeaseMs !== undefined) {
      throw new ConfigError(VARIABLES.STATUSGRAPH_POLLER_LEASE_MS.name, ' has no effect without STATUSGRAPH_REDIS_URL; set both or neither');
    }
    return undefined;
  }
  return { url, pollerLeaseMs: pollerLeaseMs ?? DEFAULT_POLLER_LEASE_MS };
}

function rejectUnknownVariables(env: Env): void {
  const known = Object.keys(VARIABLES).filter((name) => name.startsWith(STATUSGRAPH_PREFIX));
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(STATUSGRAPH_PREFIX) && !known.includes(name)) {
      throw ConfigError.unknownVariable(name, closestName(name, known));
    }
  }
}

/** Typos are a letter or two away; anything further is a different word and suggesting it would mislead. */
const MAX_SUGGESTION_DISTANCE = 3;

function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= MAX_SUGGESTION_DISTANCE && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
