// Settings of the server itself: where it listens, which backend it reads, what it shows, how it stops.
import { booleanFlag, commaList, host, integerIn, MAX_TCP_PORT, ONE_HOUR_MS, oneOf, origin, plainText } from '../parsers.js';
import { setting, type LoadContext } from '../setting.js';

const LOCAL_HOST = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

export const NODE_ENV = setting({
  name: 'NODE_ENV',
  parse: oneOf(['development', 'production', 'test']),
  default: 'development',
  accepts: 'one of development, production, test',
  description: 'Runtime environment; production hides the playground and internal error details.',
});

export const BACKEND = setting({
  name: 'STATUSGRAPH_BACKEND',
  parse: oneOf(['emulator', 'aws']),
  default: 'emulator',
  accepts: 'one of emulator, aws',
  description: 'emulator: start the embedded AWS emulator with a demo organization; aws: the default credential chain.',
});

/** On by default, off in production. */
const notInProduction = ({ valueOf }: LoadContext): boolean => valueOf(NODE_ENV) !== 'production';

export const serverSettings = {
  port: setting({
    name: 'PORT',
    parse: integerIn(0, MAX_TCP_PORT),
    default: 4000,
    accepts: `an integer TCP port from 0 to ${MAX_TCP_PORT} (0 = ephemeral)`,
    description: 'Port of the GraphQL API (HTTP and WebSocket).',
  }),
  host: setting({
    name: 'HOST',
    parse: host,
    default: ({ valueOf }) => (valueOf(BACKEND) === 'emulator' ? LOCAL_HOST : ALL_INTERFACES),
    documentedDefault: `${LOCAL_HOST} with the emulator backend, ${ALL_INTERFACES} with the aws backend`,
    accepts: 'an IPv4 address, an IPv6 address or a host name',
    description: 'Interface the API listens on.',
  }),
  nodeEnv: NODE_ENV,
  backend: BACKEND,
  logLevel: setting({
    name: 'STATUSGRAPH_LOG_LEVEL',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    accepts: 'one of fatal, error, warn, info, debug, trace, silent',
    description: 'Minimum level of the JSON logs.',
  }),
  playground: setting({
    name: 'STATUSGRAPH_PLAYGROUND',
    parse: booleanFlag,
    default: notInProduction,
    documentedDefault: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Serve the GraphQL playground at the API path.',
  }),
  corsOrigins: setting({
    name: 'STATUSGRAPH_CORS_ORIGINS',
    parse: commaList(origin),
    default: [],
    accepts: 'a comma-separated list of origins such as https://console.example.com,http://localhost:5173',
    description: 'Browser origins allowed to call the API.',
  }),
  /** Path of the trusted-documents manifest; when set, only its operations run. */
  trustedDocuments: setting({
    name: 'STATUSGRAPH_TRUSTED_DOCUMENTS',
    parse: plainText,
    documentedDefault: '(none: any document is accepted)',
    accepts: 'the path of a persisted-documents manifest, { "<sha256 hash>": "<document>" }',
    description: 'When set, only the operations in the manifest run, sent by hash (documentId or Apollo persistedQuery).',
  }),
  introspection: setting({
    name: 'STATUSGRAPH_INTROSPECTION',
    parse: booleanFlag,
    default: notInProduction,
    documentedDefault: 'true, false when NODE_ENV=production',
    accepts: 'true, false, 1 or 0',
    description: 'Answer schema introspection queries.',
  }),
  /** From SIGTERM to a forced exit; in-flight work gets most of it. */
  shutdownTimeoutMs: setting({
    name: 'STATUSGRAPH_SHUTDOWN_TIMEOUT_MS',
    parse: integerIn(1_000, ONE_HOUR_MS),
    default: 10_000, // 10 seconds
    accepts: `an integer from 1000 to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'Time from SIGTERM to a forced exit; in-flight operations get most of it to finish.',
  }),
};
