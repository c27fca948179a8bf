// Trusted documents: with STATUSGRAPH_TRUSTED_DOCUMENTS set, the server runs only the operations of a manifest that
// the frontend's build emitted (`npm run codegen` → examples/generated/persisted-documents.json, the client preset's
// format: `{ "sha256:<hex>": "<document>" }`), sent by hash — as `documentId` (GraphQL-over-HTTP's persisted
// documents) or Apollo's `extensions.persistedQuery.sha256Hash`. A client can then ask nothing the frontend does not.
// HTTP requests are rewritten by a middleware before Apollo sees them; graphql-ws payloads go through
// resolveOperation in onSubscribe.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../graphql/errors.js';

const SHA256_PREFIX = 'sha256:';
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface TrustedDocuments {
  /** The document for a hash, with or without its `sha256:` prefix. */
  lookup(id: string): string | undefined;
  readonly size: number;
}

/** A GraphQL-over-HTTP or graphql-ws request payload, as far as choosing its document goes. */
/**
 * A middleware on node:http's own request and response (the body, once parsed, in `req.body`): the POST fast path
 * calls it directly, and express takes it as it is.
 */
export type NodeMiddleware = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface OperationPayload {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * Reads and checks a manifest: every key must be the SHA-256 of its document, so a stale or hand-edited manifest
 * stops the server at start instead of running something nobody reviewed.
 */
export async function loadTrustedDocuments(path: string): Promise<TrustedDocuments> {
  const manifest: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error(`${path}: a trusted-documents manifest is a JSON object of "sha256:<hex>": "<document>"`);
  }
  const documents = new Map<string, string>();
  for (const [key, document] of Object.entries(manifest)) {
    const hash = key.startsWith(SHA256_PREFIX) ? key.slice(SHA256_PREFIX.length) : key;
    if (typeof document !== 'string' || !SHA256_HEX.test(hash)) {
      throw new Error(`${path}: entry ${JSON.stringify(key)} is not "sha256:<64 hex digits>": "<document>"`);
    }
    if (sha256Hex(document) !== hash) {
      throw new Error(`${path}: entry ${JSON.stringify(key)} is not the SHA-256 of its document; regenerate the manifest`);
    }
    documents.set(hash, document);
  }
  return trustedDocumentsOf(documents);
}

/** Trusted documents from a list of operations (tests, and manifests built in memory). */
export function trustedDocumentsFrom(operations: readonly string[]): TrustedDocuments {
  return trustedDocumentsOf(new Map(operations.map((document) => [sha256Hex(document), document])));
}

/** The `sha256:<hex>` id clients send for a document. */
export function documentIdOf(document: string): string {
  return `${SHA256_PREFIX}${sha256Hex(document)}`;
}

/**
 * The document a payload asks for: found by its id, or a GraphQLError with PERSISTED_QUERY_NOT_FOUND when the id
 * is unknown, missing, or comes with a document of its own (a trusted id must not vouch for any other text).
 */
export function resolveOperation(documents: TrustedDocuments, payload: OperationPayload): string | GraphQLError {
  const id = idOf(payload);
  if (id === undefined) {
    return notFound('This server runs trusted documents only: send the documentId of an operation from its manifest.');
  }
  const document = documents.lookup(id);
  if (document === undefined) return notFound('Unknown documentId: the operation is not in the trusted-documents manifest.');
  if (payload.query !== undefined && payload.query !== null && payload.query !== document) {
    return notFound('A documentId and a different query were sent together; send the documentId alone.');
  }
  return document;
}

/**
 * Rewrites a trusted request into a plain GraphQL-over-HTTP request for Apollo: POST bodies get `query`, GET URLs get
 * `?query=`. Anything that asks for an untrusted document is answered here, with a GraphQL error and status 400.
 */
export function trustedDocumentsMiddleware(
  documents: TrustedDocuments,
  reject: (req: IncomingMessage, res: ServerResponse, error: GraphQLError) => void,
): NodeMiddleware {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const url = new URL(req.url ?? '/', 'http://statusgraph.invalid');
      const extensions = url.searchParams.get('extensions');
      const payload: OperationPayload = {
        query: url.searchParams.get('query') ?? undefined,
        documentId: url.searchParams.get('documentId') ?? undefined,
        extensions: extensions === null ? undefined : parseJson(extensions),
      };
      const resolved = resolveOperation(documents, payload);
      if (resolved instanceof GraphQLError) return reject(req, res, resolved);
      url.searchParams.delete('documentId');
      url.searchParams.delete('extensions');
      url.searchParams.set('query', resolved);
      req.url = `${url.pathname}${url.search}`;
      return next();
    }
    const body: unknown = req.body;
    // Not an operation (a batch, a missing body): Apollo answers that with its own error.
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return next();
    const payload = body as OperationPayload & Record<string, unknown>;
    const resolved = resolveOperation(documents, payload);
    if (resolved instanceof GraphQLError) return reject(req, res, resolved);
    payload.query = resolved;
    delete payload.documentId;
    if (payload.extensions !== undefined) payload.extensions = withoutPersistedQuery(payload.extensions);
    return next();
  };
}

function idOf(payload: OperationPayload): string | undefined {
  if (typeof payload.documentId === 'string') return payload.documentId;
  const extensions = payload.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** Apollo would try automatic persisted queries on the extension; the document is resolved already. */
function withoutPersistedQuery(extensions: unknown): unknown {
  if (typeof extensions !== 'object' || extensions === null) return extensions;
  const rest = { ...(extensions as Record<string, unknown>) };
  delete rest.persistedQuery;
  return rest;
}

function trustedDocumentsOf(documents: ReadonlyMap<string, string>): TrustedDocuments {
  return {
    lookup: (id) => documents.get(id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id),
    size: documents.size,
  };
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND } });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
