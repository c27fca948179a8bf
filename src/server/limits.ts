// What one client may ask of the server, checked before anything runs: graphql-armor's validation rules (depth,
// aliases, directives, cost), graphql-js's token limit on parsing, a per-client request rate (express-rate-limit's store,
// shared by HTTP requests and graphql-ws operations), and the graphql-ws socket limits. The same rules apply on
// HTTP and on WebSocket, so no transport is the way around them.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { ipKeyGenerator, MemoryStore } from 'express-rate-limit';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  visit,
  type ASTNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config/index.js';
import type { Principal } from './auth.js';

/** Largest graphql-ws message; a bigger frame closes the socket with 1009. @default 65_536 // 64 KiB */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;
/**
 * Bytes a graphql-ws socket may hold not yet written before a send waits for its write (graphql-ws-sockets.ts): what
 * the server keeps for a subscriber that reads slower than its events come. @default 65_536 // 64 KiB
 */
export const WS_SEND_HIGH_WATER_BYTES = 64 * 1024;
/** Operations one socket may run at once. @default 100 */
export const WS_MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** How long a socket may stay open without connection_init; then graphql-ws closes it with 4408. @default 3_000 // 3 seconds */
export const WS_CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** The rate limit's window. @default 60_000 // 1 minute */
const RATE_WINDOW_MS = 60_000;

export type DocumentLimits = Pick<Config['limits'], 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost'>;

/** Parse options for every document: graphql-js stops reading past maxTokens, before building an AST. */
export function parseOptions(limits: DocumentLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/**
 * graphql-armor's rules, counted per operation: depth from the operation's own fields (`{ a { b } }` is 2; fragments
 * add no level of their own; introspection's `__schema` is exempt), aliases, directives, and its static cost model
 * (objects 2, scalars 1, growing by 1.5× per level). Without introspection, graphql-js's rule refuses `__schema` and
 * `__type` too.
 */
export function validationRules(limits: DocumentLimits, options: { introspection: boolean }): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...reportAsValidationError('maxDepth') }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAsValidationError('maxAliases') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAsValidationError('maxDirectives') }),
    costWithoutPageSizes(costLimitRule({ maxCost: limits.maxCost, flattenFragments: true, ...reportAsValidationError('maxCost') })),
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/**
 * graphql-armor multiplies a selection's cost by a literal `first`/`last` argument, but not by one passed as a
 * variable: it would refuse `accounts(first: 1000) { nodes { id } }` and let the same query with `$first` through.
 * Page sizes have their own hard caps here (first ≤ 1000, ids ≤ 1000, checked before any AWS call), so the cost
 * rule is shown the operation without them and measures the shape of the selection alone, the same either way.
 */
function costWithoutPageSizes(rule: (context: ValidationContext) => { OperationDefinition: Record<string, unknown> }): ValidationRule {
  return (context) => {
    const view = new Proxy(context, {
      get(target, property) {
        if (property === 'getFragment') {
          return (name: string) => {
            const fragment = target.getFragment(name);
            return fragment && withoutPageSizes(fragment);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const visitor = rule(view) as { OperationDefinition: { enter: (node: OperationDefinitionNode) => void } };
    return { OperationDefinition: { enter: (node) => visitor.OperationDefinition.enter(withoutPageSizes(node)) } };
  };
}

const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

function withoutPageSizes<Node extends ASTNode>(node: Node): Node {
  return visit(node, { Argument: (argument) => (PAGE_SIZE_ARGUMENTS.has(argument.name.value) ? null : undefined) });
}

/** How graphql-armor begins every refusal, though none is a syntax error. */
const ARMOR_PREFIX = 'Syntax Error: ';

/**
 * By default the armor rules throw from inside graphql-js's validate(), which Apollo turns into a 500; reported
 * through the validation context they are ordinary validation errors (400, GRAPHQL_VALIDATION_FAILED), named by the
 * limit they broke (`extensions.limit`: `maxDepth`) and without armor's "Syntax Error: " prefix.
 */
function reportAsValidationError(limit: keyof DocumentLimits) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const message = error.message.startsWith(ARMOR_PREFIX) ? error.message.slice(ARMOR_PREFIX.length) : error.message;
        context?.reportError(new GraphQLError(message, { nodes: error.nodes, extensions: { limit } }));
      },
    ],
  };
}

/** express's `trust proxy` values: off, a hop count, or the trusted proxies' addresses. */
export type TrustProxy = false | number | readonly string[];

/** express's req.ip getter (proxy-addr over X-Forwarded-For, as `trust proxy` allows). */
const expressIp = Object.getOwnPropertyDescriptor(express.request, 'ip')!.get!;

/**
 * The address a request comes from, as express's `req.ip` reads it under `trust proxy`: the socket's address when
 * off; behind trusted proxies, the first address in X-Forwarded-For that a trusted proxy did not add. For node:http
 * requests (the POST pipeline) and WebSocket upgrades alike, which express never sees.
 */
export function clientAddressReader(trust: TrustProxy): (req: IncomingMessage) => string | undefined {
  if (trust === false) return (req) => req.socket.remoteAddress;
  const app = express();
  app.set('trust proxy', typeof trust === 'number' ? trust : [...trust]);
  return (req) => expressIp.call({ app, headers: req.headers, socket: req.socket, connection: req.socket }) as string | undefined;
}

/** Who a request counts against: the principal when one was authenticated, otherwise the client's address. */
export function clientKey(principal: Principal | undefined, address: string | undefined): string {
  if (principal && principal.method !== 'anonymous') return `principal:${principal.name}`;
  const ip = address ?? 'unknown';
  // ipKeyGenerator groups an IPv6 address by its /56; an address without a colon is not IPv6 and stays as it is.
  return `ip:${ip.includes(':') ? ipKeyGenerator(ip) : ip}`;
}

export interface ClientRateLimit {
  /**
   * Counts one HTTP request of a client: sets the IETF draft-7 `RateLimit-Policy` and `RateLimit` headers on the
   * response, and `Retry-After` once the client has used its budget of the current minute. Resolves whether the
   * request is within the budget; one that is not is the caller's to answer (429).
   */
  take(key: string, res: Pick<ServerResponse, 'setHeader' | 'headersSent'>): Promise<boolean>;
  /** Counts one graphql-ws operation against the same budget; false when over it. */
  consume(key: string): Promise<boolean>;
  /** Stops the store's reset timer. */
  close(): void;
}

/**
 * A fixed one-minute window per client, in memory (one instance; several instances behind a load balancer each
 * count their own share, which errs on the side of letting clients through). The counting is express-rate-limit's
 * MemoryStore and the headers are the ones its middleware sets with `standardHeaders: 'draft-7'`; the middleware
 * itself is not used: its per-request option resolution and checks cost more than the counting, on every request.
 */
export function createClientRateLimit(options: { readonly perMinute: number }): ClientRateLimit {
  const limit = options.perMinute;
  const store = new MemoryStore();
  // The store only needs the window; rateLimit() would hand it its whole configuration.
  store.init({ windowMs: RATE_WINDOW_MS } as Parameters<MemoryStore['init']>[0]);
  const policy = `${limit};w=${Math.ceil(RATE_WINDOW_MS / 1000)}`;
  return {
    async take(key, res) {
      const { totalHits, resetTime } = await store.increment(key);
      if (res.headersSent) return totalHits <= limit;
      const resetSeconds = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(RATE_WINDOW_MS / 1000);
      res.setHeader('RateLimit-Policy', policy);
      res.setHeader('RateLimit', `limit=${limit}, remaining=${Math.max(limit - totalHits, 0)}, reset=${resetSeconds}`);
      if (totalHits <= limit) return true;
      res.setHeader('Retry-After', String(resetSeconds));
      return false;
    },
    async consume(key) {
      const { totalHits } = await store.increment(key);
      return totalHits <= limit;
    },
    close: () => store.shutdown(),
  };
}
