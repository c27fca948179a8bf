// Settings of what one client may ask of the server; everything past a limit is refused before any AWS call.
import { integerIn, ONE_HOUR_MS } from '../parsers.js';
import { setting } from '../setting.js';

const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
const MAX_DOCUMENT_LIMIT = 100_000;
/** Pinging faster than this would be most of what a socket says. */
const MIN_PING_INTERVAL_MS = 100;

// Document limits are graphql-armor's defaults, except aliases (15, the number).
export const limitSettings = {
  maxDepth: setting({
    name: 'STATUSGRAPH_MAX_DEPTH',
    parse: integerIn(1, MAX_DOCUMENT_LIMIT),
    default: 6,
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (levels of selection)`,
    description: "Deepest selection an operation may make, counted from the operation's own fields.",
  }),
  maxAliases: setting({
    name: 'STATUSGRAPH_MAX_ALIASES',
    parse: integerIn(0, MAX_DOCUMENT_LIMIT),
    default: 15,
    accepts: `an integer from 0 to ${MAX_DOCUMENT_LIMIT} (aliases)`,
    description: 'Aliases one operation may use (each alias can repeat expensive work).',
  }),
  maxDirectives: setting({
    name: 'STATUSGRAPH_MAX_DIRECTIVES',
    parse: integerIn(0, MAX_DOCUMENT_LIMIT),
    default: 50,
    accepts: `an integer from 0 to ${MAX_DOCUMENT_LIMIT} (directives)`,
    description: 'Directives one operation may carry.',
  }),
  maxTokens: setting({
    name: 'STATUSGRAPH_MAX_TOKENS',
    parse: integerIn(1, MAX_DOCUMENT_LIMIT),
    default: 1_000,
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (lexical tokens)`,
    description: 'Tokens the parser reads before it gives up on a document.',
  }),
  maxCost: setting({
    name: 'STATUSGRAPH_MAX_COST',
    parse: integerIn(1, MAX_DOCUMENT_LIMIT),
    default: 5_000,
    accepts: `an integer from 1 to ${MAX_DOCUMENT_LIMIT} (graphql-armor cost units)`,
    description: "Cost one operation may have in graphql-armor's model (objects 2, scalars 1, growing with depth).",
  }),
  rateLimitPerMinute: setting({
    name: 'STATUSGRAPH_RATE_LIMIT_PER_MINUTE',
    parse: integerIn(1, MAX_RATE_LIMIT_PER_MINUTE),
    default: 600,
    accepts: `an integer from 1 to ${MAX_RATE_LIMIT_PER_MINUTE} (requests per minute)`,
    description: 'HTTP requests and WebSocket operations per minute per client (API key or token subject, else IP).',
  }),
  wsPingIntervalMs: setting({
    name: 'STATUSGRAPH_WS_PING_INTERVAL_MS',
    parse: integerIn(MIN_PING_INTERVAL_MS, ONE_HOUR_MS),
    default: 12_000, // 12 seconds, graphql-ws's own default
    accepts: `an integer from ${MIN_PING_INTERVAL_MS} to ${ONE_HOUR_MS} (milliseconds)`,
    description: 'Interval of WebSocket pings; a socket that has not answered by the next ping is terminated.',
  }),
};
