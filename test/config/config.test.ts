import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config } from '../../src/config/index.js';

/** Loads a config, or returns the ConfigError it threw (any other throw fails the test). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('gives every setting its documented default on an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      nodeEnv: 'development',
      backend: 'emulator',
      emulator: { accounts: 12, delayMs: 5000, port: 0 },
      memberRoleName: 'OrganizationAccountAccessRole',
      fleetwiseRegions: ['us-east-1'],
      poll: { fastMs: 5000, slowMs: 60000 },
      cacheTtl: { transitionalMs: 5000, settledMs: 300000 },
      aws: {
        region: 'us-east-1',
        timeoutMs: 10000,
        maxSockets: 32,
        maxAttempts: 3,
        throttleMaxAttempts: 8,
        rateLimitPerSecond: 50,
        assumeRoleRatePerSecond: 1_000,
        circuitBreaker: { windowMs: 10000, halfOpenMs: 5000 },
      },
      logLevel: 'info',
      playground: true,
      corsOrigins: [],
      auth: { mode: 'none', apiKeys: [] },
      limits: { maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000, rateLimitPerMinute: 600, wsPingIntervalMs: 12000 },
      introspection: true,
      shutdownTimeoutMs: 10000,
      readinessGraceMs: 0,
      queryDeadlineMs: 15000,
      trustProxy: false,
      history: { store: 'embedded', dataDir: '.statusgraph-data', retentionDays: 400 },
    } satisfies Config);
  });

  it('listens on all interfaces by default with the aws backend, and on loopback with the emulator', () => {
    expect(loadConfig({ STATUSGRAPH_BACKEND: 'aws', STATUSGRAPH_AUTH: 'none' }).host).toBe('0.0.0.0');
    expect(loadConfig({ STATUSGRAPH_BACKEND: 'emulator' }).host).toBe('127.0.0.1');
    expect(loadConfig({ STATUSGRAPH_BACKEND: 'aws', STATUSGRAPH_AUTH: 'none', HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('turns the playground off by default in production only', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).playground).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', STATUSGRAPH_PLAYGROUND: 'true' }).playground).toBe(true);
  });

  it('treats an empty or blank value as unset', () => {
    expect(loadConfig({ PORT: '', STATUSGRAPH_FLEETWISE_REGIONS: '  ' })).toEqual(loadConfig({}));
  });

  it('has no endpoint unless AWS_ENDPOINT_URL is set', () => {
    expect('endpoint' in loadConfig({}).aws).toBe(false);
  });

  it('ignores variables that belong to other programs', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', AWS_PROFILE: 'dev' })).toEqual(loadConfig({}));
  });
});

describe('loadConfig result', () => {
  it('is frozen all the way down', () => {
    const config = loadConfig({ STATUSGRAPH_FLEETWISE_REGIONS: 'us-east-1,eu-central-1' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.aws)).toBe(true);
    expect(Object.isFrozen(config.emulator)).toBe(true);
    expect(Object.isFrozen(config.fleetwiseRegions)).toBe(true);
    expect(() => (config.fleetwiseRegions as string[]).push('ap-south-1')).toThrow(TypeError);
  });
});

const TOKEN_SHA256 = 'a'.repeat(64);
/** Settings some variables need beside them to be accepted at all. */
const JWKS = { STATUSGRAPH_JWKS_URL: 'https://idp.example.com/jwks.json', STATUSGRAPH_JWT_ISSUER: 'https://idp.example.com/', STATUSGRAPH_JWT_AUDIENCE: 'statusgraph' };

/** [variable, raw value, path into Config, expected parsed value, the settings it needs beside it] */
const goodValues: [string, string, (config: Config) => unknown, unknown, Record<string, string>?][] = [
  ['PORT', '0', (c) => c.port, 0],
  ['PORT', '65535', (c) => c.port, 65535],
  ['HOST', '::1', (c) => c.host, '::1'],
  ['HOST', 'api.internal.example', (c) => c.host, 'api.internal.example'],
  ['HOST', 'localhost', (c) => c.host, 'localhost'],
  ['NODE_ENV', 'production', (c) => c.nodeEnv, 'production'],
  ['NODE_ENV', 'test', (c) => c.nodeEnv, 'test'],
  ['STATUSGRAPH_BACKEND', 'aws', (c) => c.backend, 'aws', { STATUSGRAPH_AUTH: 'none' }],
  ['STATUSGRAPH_EMULATOR_ACCOUNTS', '1', (c) => c.emulator.accounts, 1],
  ['STATUSGRAPH_EMULATOR_ACCOUNTS', '10000', (c) => c.emulator.accounts, 10000],
  ['STATUSGRAPH_EMULATOR_DELAY_MS', '0', (c) => c.emulator.delayMs, 0],
  ['STATUSGRAPH_EMULATOR_DELAY_MS', '250', (c) => c.emulator.delayMs, 250],
  ['STATUSGRAPH_EMULATOR_PORT', '4566', (c) => c.emulator.port, 4566],
  ['STATUSGRAPH_MEMBER_ROLE_NAME', 'StatusReader', (c) => c.memberRoleName, 'StatusReader'],
  ['STATUSGRAPH_MEMBER_ROLE_NAME', 'ops+read=1,a.b@c_d-e', (c) => c.memberRoleName, 'ops+read=1,a.b@c_d-e'],
  [
    'STATUSGRAPH_FLEETWISE_REGIONS',
    'us-east-1, eu-central-1 ,ap-south-1',
    (c) => c.fleetwiseRegions,
    ['us-east-1', 'eu-central-1', 'ap-south-1'],
  ],
  ['STATUSGRAPH_FLEETWISE_REGIONS', 'us-east-1,us-east-1', (c) => c.fleetwiseRegions, ['us-east-1']],
  ['STATUSGRAPH_FLEETWISE_REGIONS', 'us-gov-west-1', (c) => c.fleetwiseRegions, ['us-gov-west-1']],
  ['STATUSGRAPH_POLL_FAST_MS', '1000', (c) => c.poll.fastMs, 1000],
  ['STATUSGRAPH_POLL_SLOW_MS', '5000', (c) => c.poll.slowMs, 5000],
  ['STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS', '0', (c) => c.cacheTtl.transitionalMs, 0],
  ['STATUSGRAPH_CACHE_TTL_SETTLED_MS', '600000', (c) => c.cacheTtl.settledMs, 600000],
  ['STATUSGRAPH_AWS_TIMEOUT_MS', '2500', (c) => c.aws.timeoutMs, 2500],
  ['STATUSGRAPH_AWS_MAX_SOCKETS', '200', (c) => c.aws.maxSockets, 200],
  ['STATUSGRAPH_AWS_MAX_ATTEMPTS', '1', (c) => c.aws.maxAttempts, 1],
  ['STATUSGRAPH_AWS_RATE_LIMIT', '5', (c) => c.aws.rateLimitPerSecond, 5],
  ['STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT', '800', (c) => c.aws.assumeRoleRatePerSecond, 800],
  // AssumeRole is never paced below the general rate.
  ['STATUSGRAPH_AWS_RATE_LIMIT', '2000', (c) => c.aws.assumeRoleRatePerSecond, 2000],
  ['STATUSGRAPH_LOG_LEVEL', 'debug', (c) => c.logLevel, 'debug'],
  ['STATUSGRAPH_LOG_LEVEL', 'silent', (c) => c.logLevel, 'silent'],
  ['STATUSGRAPH_PLAYGROUND', 'false', (c) => c.playground, false],
  ['STATUSGRAPH_PLAYGROUND', '0', (c) => c.playground, false],
  ['STATUSGRAPH_PLAYGROUND', '1', (c) => c.playground, true],
  ['STATUSGRAPH_PLAYGROUND', 'TRUE', (c) => c.playground, true],
  [
    'STATUSGRAPH_CORS_ORIGINS',
    'https://console.example.com,http://localhost:5173',
    (c) => c.corsOrigins,
    ['https://console.example.com', 'http://localhost:5173'],
  ],
  ['AWS_REGION', 'eu-central-1', (c) => c.aws.region, 'eu-central-1'],
  ['AWS_ENDPOINT_URL', 'http://127.0.0.1:4566', (c) => c.aws.endpoint, 'http://127.0.0.1:4566'],
  ['AWS_ENDPOINT_URL', 'https://aws-proxy.internal', (c) => c.aws.endpoint, 'https://aws-proxy.internal'],
  ['STATUSGRAPH_AUTH', 'none', (c) => c.auth.mode, 'none', { STATUSGRAPH_BACKEND: 'aws' }],
  ['STATUSGRAPH_AUTH', 'required', (c) => c.auth.mode, 'required', { STATUSGRAPH_API_KEYS: `ci:reader:${TOKEN_SHA256}` }],
  [
    'STATUSGRAPH_API_KEYS',
    `ci-bot:reader:${TOKEN_SHA256}, ops.team:operator:${'F'.repeat(64)}`,
    (c) => c.auth,
    { mode: 'required', apiKeys: [{ name: 'ci-bot', role: 'reader', sha256: TOKEN_SHA256 }, { name: 'ops.team', role: 'operator', sha256: 'f'.repeat(64) }] },
  ],
  ['STATUSGRAPH_JWKS_URL', JWKS.STATUSGRAPH_JWKS_URL, (c) => c.auth.jwt?.jwksUrl, JWKS.STATUSGRAPH_JWKS_URL, JWKS],
  ['STATUSGRAPH_JWT_ISSUER', 'https://login.example.org/tenant', (c) => c.auth.jwt?.issuer, 'https://login.example.org/tenant', JWKS],
  ['STATUSGRAPH_JWT_AUDIENCE', 'api://statusgraph', (c) => c.auth.jwt?.audience, 'api://statusgraph', JWKS],
  ['STATUSGRAPH_JWT_ROLE_CLAIM', 'https://example.com/role', (c) => c.auth.jwt?.roleClaim, 'https://example.com/role', JWKS],
  ['STATUSGRAPH_RATE_LIMIT_PER_MINUTE', '60', (c) => c.limits.rateLimitPerMinute, 60],
  ['STATUSGRAPH_MAX_DEPTH', '8', (c) => c.limits.maxDepth, 8],
  ['STATUSGRAPH_MAX_ALIASES', '0', (c) => c.limits.maxAliases, 0],
  ['STATUSGRAPH_MAX_DIRECTIVES', '5', (c) => c.limits.maxDirectives, 5],
  ['STATUSGRAPH_MAX_TOKENS', '2000', (c) => c.limits.maxTokens, 2000],
  ['STATUSGRAPH_MAX_COST', '10000', (c) => c.limits.maxCost, 10000],
  ['STATUSGRAPH_TRUSTED_DOCUMENTS', 'examples/generated/persisted-documents.json', (c) => c.trustedDocuments, 'examples/generated/persisted-documents.json'],
  ['STATUSGRAPH_INTROSPECTION', 'false', (c) => c.introspection, false],
  ['STATUSGRAPH_INTROSPECTION', 'true', (c) => c.introspection, true, { NODE_ENV: 'production' }],
  ['STATUSGRAPH_WS_PING_INTERVAL_MS', '500', (c) => c.limits.wsPingIntervalMs, 500],
  ['STATUSGRAPH_SHUTDOWN_TIMEOUT_MS', '3000', (c) => c.shutdownTimeoutMs, 3000],
  ['STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS', '5', (c) => c.aws.throttleMaxAttempts, 5],
  ['STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS', '2000', (c) => c.aws.circuitBreaker.windowMs, 2000],
  ['STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS', '500', (c) => c.aws.circuitBreaker.halfOpenMs, 500],
];

describe.each(goodValues)('%s=%j', (name, raw, pick, expected, beside = {}) => {
  it('is accepted and parsed', () => {
    expect(pick(loadConfig({ ...beside, [name]: raw }))).toEqual(expected);
  });
});

/** [variable, bad raw value, a fragment of what the message says it accepts] */
const badValues: [string, string, string][] = [
  ['PORT', '65536', 'from 0 to 65535'],
  ['PORT', '-1', 'TCP port'],
  ['PORT', 'http', 'TCP port'],
  ['PORT', '80.5', 'integer'],
  ['PORT', '8e3', 'integer'],
  ['HOST', 'not a host', 'host name'],
  ['HOST', 'http://localhost', 'host name'],
  ['NODE_ENV', 'prod', 'development, production, test'],
  ['STATUSGRAPH_BACKEND', 'localstack', 'emulator, aws'],
  ['STATUSGRAPH_EMULATOR_ACCOUNTS', '0', 'from 1 to 10000'],
  ['STATUSGRAPH_EMULATOR_ACCOUNTS', '10001', 'from 1 to 10000'],
  ['STATUSGRAPH_EMULATOR_ACCOUNTS', 'many', 'integer'],
  ['STATUSGRAPH_EMULATOR_DELAY_MS', '-5', 'milliseconds'],
  ['STATUSGRAPH_EMULATOR_DELAY_MS', '5s', 'milliseconds'],
  ['STATUSGRAPH_EMULATOR_PORT', '70000', 'TCP port'],
  ['STATUSGRAPH_MEMBER_ROLE_NAME', 'Role With Spaces', 'IAM role name'],
  ['STATUSGRAPH_MEMBER_ROLE_NAME', 'arn:aws:iam::123456789012:role/Reader', 'IAM role name'],
  ['STATUSGRAPH_MEMBER_ROLE_NAME', 'R'.repeat(65), 'IAM role name'],
  ['STATUSGRAPH_FLEETWISE_REGIONS', 'us-east-1,Frankfurt', 'region names'],
  ['STATUSGRAPH_FLEETWISE_REGIONS', 'us-east-1,', 'region names'],
  ['STATUSGRAPH_FLEETWISE_REGIONS', 'us-east', 'region names'],
  ['STATUSGRAPH_POLL_FAST_MS', '10', 'from 100 to'],
  ['STATUSGRAPH_POLL_SLOW_MS', 'never', 'milliseconds'],
  ['STATUSGRAPH_POLL_SLOW_MS', '1000', 'not below STATUSGRAPH_POLL_FAST_MS (5000 ms)'],
  ['STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS', '1.5', 'milliseconds'],
  ['STATUSGRAPH_CACHE_TTL_SETTLED_MS', '1000', 'not below STATUSGRAPH_CACHE_TTL_TRANSITIONAL_MS (5000 ms)'],
  ['STATUSGRAPH_AWS_TIMEOUT_MS', '0', 'from 1 to 300000'],
  ['STATUSGRAPH_AWS_MAX_SOCKETS', '0', 'sockets'],
  ['STATUSGRAPH_AWS_MAX_ATTEMPTS', '0', 'attempts'],
  ['STATUSGRAPH_AWS_MAX_ATTEMPTS', '11', 'from 1 to 10'],
  ['STATUSGRAPH_AWS_RATE_LIMIT', '0', 'requests per second'],
  ['STATUSGRAPH_AWS_RATE_LIMIT', '2.5', 'requests per second'],
  ['STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT', '0', 'requests per second'],
  ['STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT', 'fast', 'requests per second'],
  ['STATUSGRAPH_LOG_LEVEL', 'verbose', 'fatal, error, warn, info, debug, trace, silent'],
  ['STATUSGRAPH_PLAYGROUND', 'yes', 'true, false, 1 or 0'],
  ['STATUSGRAPH_CORS_ORIGINS', 'console.example.com', 'origins'],
  ['STATUSGRAPH_CORS_ORIGINS', 'https://console.example.com/app', 'origins'],
  ['STATUSGRAPH_CORS_ORIGINS', 'ftp://files.example.com', 'origins'],
  ['AWS_REGION', 'US-EAST-1', 'region name'],
  ['AWS_ENDPOINT_URL', 'localhost:4566', 'http(s) URL'],
  ['AWS_ENDPOINT_URL', 'ftp://127.0.0.1:4566', 'http(s) URL'],
  ['STATUSGRAPH_AUTH', 'open', 'none, required'],
  ['STATUSGRAPH_API_KEYS', 'ci:admin:' + 'a'.repeat(64), 'role reader or operator'],
  ['STATUSGRAPH_API_KEYS', 'ci:reader:not-a-hash', 'sha256-hex-of-token'],
  ['STATUSGRAPH_API_KEYS', `ci:reader:${'a'.repeat(64)},ci:operator:${'b'.repeat(64)}`, 'names unique'],
  ['STATUSGRAPH_JWKS_URL', 'idp.example.com/jwks.json', 'http(s) URL'],
  ['STATUSGRAPH_JWT_ISSUER', 'i'.repeat(1025), '1 to 1024 characters'],
  ['STATUSGRAPH_JWT_AUDIENCE', 'a'.repeat(1025), '1 to 1024 characters'],
  ['STATUSGRAPH_JWT_ROLE_CLAIM', 'role claim', 'claim name'],
  ['STATUSGRAPH_RATE_LIMIT_PER_MINUTE', '0', 'requests per minute'],
  ['STATUSGRAPH_MAX_DEPTH', '0', 'levels of selection'],
  ['STATUSGRAPH_MAX_ALIASES', '-1', 'aliases'],
  ['STATUSGRAPH_MAX_DIRECTIVES', 'many', 'directives'],
  ['STATUSGRAPH_MAX_TOKENS', '0', 'lexical tokens'],
  ['STATUSGRAPH_MAX_COST', '1e4', 'cost units'],
  ['STATUSGRAPH_TRUSTED_DOCUMENTS', 'x'.repeat(1025), 'persisted-documents manifest'],
  ['STATUSGRAPH_INTROSPECTION', 'on', 'true, false, 1 or 0'],
  ['STATUSGRAPH_WS_PING_INTERVAL_MS', '10', 'milliseconds'],
  ['STATUSGRAPH_SHUTDOWN_TIMEOUT_MS', '999', 'from 1000'],
  ['STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS', '21', 'from 1 to 20'],
  ['STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS', '2', 'not below STATUSGRAPH_AWS_MAX_ATTEMPTS (3)'],
  ['STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS', '10', 'milliseconds'],
  ['STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS', '5s', 'milliseconds'],
  ['STATUSGRAPH_REDIS_URL', 'http://localhost:6379', 'redis:// or rediss:// URL'],
  ['STATUSGRAPH_POLLER_LEASE_MS', '100', 'from 300 to'],
  ['STATUSGRAPH_DATA_DIR', 'x'.repeat(1025), 'directory path'],
  ['STATUSGRAPH_DATABASE_URL', 'mysql://db/sg', 'postgres:// URL'],
  ['STATUSGRAPH_HISTORY_RETENTION_DAYS', '0', 'from 1 to 36500'],
  ['STATUSGRAPH_READINESS_GRACE_MS', '5s', 'milliseconds'],
  ['STATUSGRAPH_QUERY_DEADLINE_MS', '50', 'from 100 to'],
  ['STATUSGRAPH_TRUST_PROXY', 'true', 'number of proxy hops'],
];

/** Variables whose names announce a secret: their values are never echoed, even when wrong. */
const REDACTED_VARIABLES = new Set(['STATUSGRAPH_AUTH', 'STATUSGRAPH_API_KEYS', 'STATUSGRAPH_MAX_TOKENS']);

describe.each(badValues)('%s=%j', (name, raw, accepts) => {
  it('stops with one line naming the variable, the value and what it accepts', () => {
    const error = configError({ [name]: raw });
    expect(error.variable).toBe(name);
    expect(error.message).toContain(name);
    expect(error.message).toContain(
      REDACTED_VARIABLES.has(name) ? '<redacted>' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw),
    );
    expect(error.message).toContain(accepts);
    expect(error.message).not.toMatch(/[\r\n]/);
  });
});

describe('secrets in error messages', () => {
  it('redacts an endpoint URL that carries credentials', () => {
    const error = configError({ AWS_ENDPOINT_URL: 'https://admin:hunter2@proxy.internal' });
    expect(error.variable).toBe('AWS_ENDPOINT_URL');
    expect(error.message).toContain('<redacted>');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('admin');
  });

  it('redacts a value that looks like an AWS access key or a token', () => {
    const accessKey = configError({ STATUSGRAPH_MEMBER_ROLE_NAME: 'AKIAIOSFODNN7EXAMPLE:x' });
    expect(accessKey.message).toContain('<redacted>');
    expect(accessKey.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const token = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const tokenError = configError({ HOST: token });
    expect(tokenError.message).toContain('<redacted>');
    expect(tokenError.message).not.toContain(token);
  });

  it('keeps a multi-line value on one line', () => {
    const error = configError({ STATUSGRAPH_LOG_LEVEL: 'info\nSTATUSGRAPH_BACKEND=aws' });
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('STATUSGRAPH_LOG_LEVEL');
  });
});

describe('unknown STATUSGRAPH_ variables', () => {
  it('are rejected by name, with the setting the typo was probably meant to be', () => {
    const error = configError({ STATUSGRAPH_POLL_FAST: '1000' });
    expect(error.variable).toBe('STATUSGRAPH_POLL_FAST');
    expect(error.message).toContain('STATUSGRAPH_POLL_FAST is not a statusgraph setting');
    expect(error.message).toContain('did you mean STATUSGRAPH_POLL_FAST_MS?');
  });

  it('are rejected without a suggestion when nothing is close', () => {
    const error = configError({ STATUSGRAPH_KAFKA_BROKERS: 'kafka://localhost' });
    expect(error.message).toContain('STATUSGRAPH_KAFKA_BROKERS is not a statusgraph setting');
    expect(error.message).not.toContain('did you mean');
  });

  it('never echo their value, which may be a secret', () => {
    const error = configError({ STATUSGRAPH_API_TOKEN: 'not-shown-anywhere' });
    expect(error.message).not.toContain('not-shown-anywhere');
  });
});

describe('CONFIG_VARIABLES', () => {
  it('documents every variable loadConfig validates, each with a default and what it accepts', () => {
    const documented = CONFIG_VARIABLES.map((variable) => variable.name);
    const tested = new Set(badValues.map(([name]) => name));
    expect(new Set(documented)).toEqual(tested);
    for (const variable of CONFIG_VARIABLES) {
      expect(variable.default).not.toBe('');
      expect(variable.accepts).not.toBe('');
      expect(variable.description).not.toBe('');
    }
  });

  it('accepts every documented STATUSGRAPH_ variable as known', () => {
    const statusgraphNames = CONFIG_VARIABLES.map((v) => v.name).filter((n) => n.startsWith('STATUSGRAPH_'));
    const env = Object.fromEntries(statusgraphNames.map((name) => [name, '']));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
