// Trusted-document manifests: loaded and checked at start, looked up by either id style, and nothing else runs.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentIdOf, loadTrustedDocuments, resolveOperation, trustedDocumentsFrom } from '../../src/server/trusted-documents.js';

const VIEWER = 'query Viewer { viewer { id } }';

async function manifestFile(content: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'statusgraph-trusted-')), 'persisted-documents.json');
  await writeFile(path, JSON.stringify(content));
  return path;
}

describe('loadTrustedDocuments', () => {
  it("reads the client preset's manifest format, sha256:<hex> keys", async () => {
    const documents = await loadTrustedDocuments(await manifestFile({ [documentIdOf(VIEWER)]: VIEWER }));
    expect(documents.size).toBe(1);
    expect(documents.lookup(documentIdOf(VIEWER))).toBe(VIEWER);
    expect(documents.lookup(documentIdOf(VIEWER).slice('sha256:'.length))).toBe(VIEWER);
  });

  it('refuses an entry whose key is not the hash of its document, naming it', async () => {
    const stale = `sha256:${'0'.repeat(64)}`;
    await expect(loadTrustedDocuments(await manifestFile({ [stale]: VIEWER }))).rejects.toThrow(/not the SHA-256 of its document/);
  });

  it('refuses anything but an object of hashes to documents', async () => {
    await expect(loadTrustedDocuments(await manifestFile([VIEWER]))).rejects.toThrow(/JSON object/);
    await expect(loadTrustedDocuments(await manifestFile({ viewer: VIEWER }))).rejects.toThrow(/64 hex digits/);
  });
});

describe('resolveOperation', () => {
  const documents = trustedDocumentsFrom([VIEWER]);

  it('finds the document for a documentId or an Apollo persistedQuery hash', () => {
    expect(resolveOperation(documents, { documentId: documentIdOf(VIEWER) })).toBe(VIEWER);
    const sha256Hash = documentIdOf(VIEWER).slice('sha256:'.length);
    expect(resolveOperation(documents, { extensions: { persistedQuery: { version: 1, sha256Hash } } })).toBe(VIEWER);
  });

  it.each([
    ['a plain query', { query: VIEWER }],
    ['an unknown id', { documentId: `sha256:${'1'.repeat(64)}` }],
    ['an id with a different query beside it', { documentId: documentIdOf(VIEWER), query: '{ organization { id } }' }],
    ['an empty payload', {}],
  ])('refuses %s with PERSISTED_QUERY_NOT_FOUND', (_what, payload) => {
    const outcome = resolveOperation(documents, payload);
    expect(outcome).toBeInstanceOf(GraphQLError);
    expect((outcome as GraphQLError).extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
