// Settings of the AWS side: where and as whom statusgraph calls, and how patiently (timeouts, retries, rates, the
// circuit breaker).
import { commaList, endpointUrl, iamRoleName, integerIn, ONE_HOUR_MS, regionName } from '../parsers.js';
import { derived, setting } from '../setting.js';

const MAX_AWS_TIMEOUT_MS = 300_000; // 5 minutes
const MAX_AWS_MAX_SOCKETS = 1_000;
const MAX_AWS_MAX_ATTEMPTS = 10;
const MAX_AWS_RATE_LIMIT_PER_SECOND = 10_000;
const MAX_AWS_THROTTLE_MAX_ATTEMPTS = 20;
const DEFAULT_THROTTLE_MAX_ATTEMPTS = 8;

const MAX_ATTEMPTS = setting({
  name: 'STATUSGRAPH_AWS_MAX_ATTEMPTS',
  parse: integerIn(1, MAX_AWS_MAX_ATTEMPTS),
  default: 3,
  accepts: `an integer from 1 to ${MAX_AWS_MAX_ATTEMPTS} (attempts, retries included)`,
  description: 'Attempts the SDK makes per AWS call (CreateAccount is always sent once).',
});

const RATE_LIMIT = setting({
  name: 'STATUSGRAPH_AWS_RATE_LIMIT',
  parse: integerIn(1, MAX_AWS_RATE_LIMIT_PER_SECOND),
  // Where the management account's calls start: its clients slow down to what AWS admits once it throttles them.
  default: 50,
  accepts: `an integer from 1 to ${MAX_AWS_RATE_LIMIT_PER_SECOND} (requests per second)`,
  description:
    'Requests per second per (service, operation, region, account) — member accounts have their own AWS quotas; STS AssumeRole, made from the management account, has its own rate (STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT). Calls beyond it queue; once AWS throttles the management account, its calls slow to what AWS admits (not below 20/s).',
});

export const awsSettings = {
  memberRoleName: setting({
    name: 'STATUSGRAPH_MEMBER_ROLE_NAME',
    parse: iamRoleName,
    default: 'OrganizationAccountAccessRole',
    accepts: 'an IAM role name: 1 to 64 letters, digits or +=,.@_-',
    description: 'Role assumed in member accounts to read their FleetWise and Compute Optimizer status.',
  }),
  fleetwiseRegions: setting({
    name: 'STATUSGRAPH_FLEETWISE_REGIONS',
    parse: commaList(regionName),
    default: ['us-east-1'],
    accepts: 'a comma-separated list of region names such as us-east-1,eu-central-1',
    description:
      "FleetWise regions reported when a query names none: the first is fleetwiseRegistration's default region; the organization's summary and accountStatusChanged without regions cover all of them.",
  }),
  aws: {
    region: setting({
      name: 'AWS_REGION',
      parse: regionName,
      default: 'us-east-1',
      accepts: 'a region name such as us-east-1',
      description: 'Region of the regional clients (Compute Optimizer, STS); Organizations is always us-east-1.',
    }),
    /** AWS_ENDPOINT_URL: every client, FleetWise included, talks to this endpoint when set. */
    endpoint: setting({
      name: 'AWS_ENDPOINT_URL',
      parse: endpointUrl,
      documentedDefault: '(none: the AWS endpoints)',
      accepts: 'an http(s) URL without credentials, query or fragment, such as http://127.0.0.1:4566',
      description: 'One endpoint for every AWS client, FleetWise included (a standalone emulator).',
    }),
    timeoutMs: setting({
      name: 'STATUSGRAPH_AWS_TIMEOUT_MS',
      parse: integerIn(1, MAX_AWS_TIMEOUT_MS),
      default: 10_000, // 10 seconds
      accepts: `an integer from 1 to ${MAX_AWS_TIMEOUT_MS} (milliseconds)`,
      description: 'Connection and request timeout of each AWS request attempt.',
    }),
    maxSockets: setting({
      name: 'STATUSGRAPH_AWS_MAX_SOCKETS',
      parse: integerIn(1, MAX_AWS_MAX_SOCKETS),
      // Above about 50 requests at once V8 starts allocating Node's HTTP objects in the old generation for good, and
      // every later inbound request gets slower (src/aws/clients.ts, docs/benchmarks.md section 2).
      default: 32,
      accepts: `an integer from 1 to ${MAX_AWS_MAX_SOCKETS} (requests and sockets)`,
      description: 'AWS requests in flight at once across every client (a call beyond them waits its turn before it is sent), and sockets per protocol in the keep-alive agent they share.',
    }),
    maxAttempts: MAX_ATTEMPTS,
    /** Attempts per call when every failure was throttling (AWS asked us to slow down, not that it is broken). */
    throttleMaxAttempts: setting({
      name: 'STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS',
      parse: integerIn(1, MAX_AWS_THROTTLE_MAX_ATTEMPTS),
      default: ({ valueOf }) => Math.max(DEFAULT_THROTTLE_MAX_ATTEMPTS, valueOf(MAX_ATTEMPTS)),
      documentedDefault: `${DEFAULT_THROTTLE_MAX_ATTEMPTS} (or STATUSGRAPH_AWS_MAX_ATTEMPTS when that is more)`,
      accepts: `an integer from 1 to ${MAX_AWS_THROTTLE_MAX_ATTEMPTS} (attempts), not below STATUSGRAPH_AWS_MAX_ATTEMPTS`,
      description: 'Attempts per AWS call while AWS answers with throttling errors (backed off exponentially).',
      check: (attempts, { valueOf }) =>
        attempts < valueOf(MAX_ATTEMPTS) ? `a value not below ${MAX_ATTEMPTS.name} (${valueOf(MAX_ATTEMPTS)})` : undefined,
    }),
    rateLimitPerSecond: RATE_LIMIT,
    /** STS AssumeRole's own rate (one call per member account), at least rateLimitPerSecond. */
    assumeRoleRatePerSecond: derived(
      {
        rate: setting({
          name: 'STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT',
          parse: integerIn(1, MAX_AWS_RATE_LIMIT_PER_SECOND),
          // A start: a cold 5,000-member organization assumes its roles in 5 s where STS admits it, and the adaptive
          // rate slows the STS client to what STS admits once it throttles.
          default: 1_000,
          accepts: `an integer from 1 to ${MAX_AWS_RATE_LIMIT_PER_SECOND} (requests per second)`,
          description:
            'STS AssumeRole requests per second from the management account at most, one per member account per credential lifetime (never below STATUSGRAPH_AWS_RATE_LIMIT); once STS throttles, the STS client slows to what STS admits (not below 20/s).',
        }),
      },
      ({ rate }, { valueOf }) => Math.max(rate, valueOf(RATE_LIMIT)),
    ),
    /** The circuit breaker per (service, region). */
    circuitBreaker: {
      windowMs: setting({
        name: 'STATUSGRAPH_AWS_CIRCUIT_WINDOW_MS',
        parse: integerIn(1_000, ONE_HOUR_MS),
        default: 10_000, // 10 seconds
        accepts: `an integer from 1000 to ${ONE_HOUR_MS} (milliseconds)`,
        description: 'The circuit per (service, region) opens when most calls in this window failed (5xx, timeouts, network).',
      }),
      halfOpenMs: setting({
        name: 'STATUSGRAPH_AWS_CIRCUIT_HALF_OPEN_MS',
        parse: integerIn(100, ONE_HOUR_MS),
        default: 5_000, // 5 seconds: one fast poll interval
        accepts: `an integer from 100 to ${ONE_HOUR_MS} (milliseconds)`,
        description: 'How long an open circuit refuses calls before it lets one probe through.',
      }),
    },
  },
};
