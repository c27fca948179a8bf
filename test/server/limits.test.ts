// The document limits on the real schema: the queries people are shown and the tests' big queries pass, hostile
// shapes do not, and a page size written as a literal costs what the same query costs with a variable.
import { readFileSync } from 'node:fs';
import { type GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStatusGraphSchema } from '../../src/graphql/build-schema.js';
import { parseOptions, validationRules, type DocumentLimits } from '../../src/server/limits.js';

const LIMITS: DocumentLimits = { maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000 };

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildStatusGraphSchema();
});

/** The validation errors of a document under the limits (parsing included). */
function check(source: string, options: { introspection?: boolean; limits?: Partial<DocumentLimits> } = {}): string[] {
  const limits = { ...LIMITS, ...options.limits };
  try {
    const document = parse(source, parseOptions(limits));
    const rules = [...specifiedRules, ...validationRules(limits, { introspection: options.introspection ?? true })];
    return validate(schema, document, rules).map((error) => error.message);
  } catch (error) {
    return [(error as GraphQLError).message];
  }
}

/** The first ```graphql block of the README: the query every reader tries first. */
function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /```graphql\n([\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no graphql example');
  return block[1];
}

/** `{ organization { accounts { nodes { … } } } }` nested `levels` deep through creationRequest.account. */
function nestedThroughCreationRequests(levels: number): string {
  let selection = 'id';
  for (let i = 0; i < levels; i++) selection = `creationRequest { account { ${selection} } }`;
  return `{ viewer { ${selection} } }`;
}

describe('the document limits', () => {
  it("accept the README's example query", () => {
    expect(check(readmeExample())).toEqual([]);
  });

  it('accept a 1,000-account page of every status, whether the page size is a literal or a variable', () => {
    const fields = 'id fleetwiseRegistration { accountStatus } computeOptimizerEnrollment { status } creationRequest { state }';
    expect(check(`{ organization { accounts(first: 1000) { totalCount nodes { ${fields} } } } }`)).toEqual([]);
    expect(check(`query($first: Int!) { organization { accounts(first: $first) { totalCount nodes { ${fields} } } } }`)).toEqual([]);
  });

  it('count depth from the operation’s own fields, fragments adding no level', () => {
    // viewer(1) creationRequest(2) account(3) creationRequest(4) account(5) id(6)
    expect(check(nestedThroughCreationRequests(2))).toEqual([]);
    expect(check(`{ viewer { ...A } } fragment A on Account { creationRequest { account { ...B } } } fragment B on Account { creationRequest { account { id } } }`)).toEqual([]);
    expect(check(nestedThroughCreationRequests(3))).toEqual([expect.stringContaining('Query depth limit of 6 exceeded, found 8')]);
  });

  it('refuse more than 15 aliases', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    expect(check(aliases(15))).toEqual([]);
    expect(check(aliases(16))).toEqual([expect.stringContaining('Aliases limit of 15 exceeded')]);
  });

  it('refuse more directives than allowed', () => {
    const directives = (n: number) => `{ viewer { id ${'@include(if: true) '.repeat(n)} } }`;
    expect(check(directives(3), { limits: { maxDirectives: 3 } }).filter((m) => m.includes('Directives limit'))).toEqual([]);
    expect(check(directives(4), { limits: { maxDirectives: 3 } })).toContainEqual(expect.stringContaining('Directives limit of 3 exceeded'));
  });

  it('stop parsing past 1,000 tokens', () => {
    const ids = Array.from({ length: 1_100 }, () => '"123456789012"').join(' ');
    expect(check(`{ accounts(ids: [${ids}]) { id } }`)).toEqual([expect.stringContaining('Document contains more that 1000 tokens')]);
  });

  it('refuse a selection whose cost is over the limit, even within the depth and token limits', () => {
    // 700 scalars at depth 6 cost about 1.5^5 each: over 5,000 in under 1,000 tokens.
    const deepAndWide = (scalars: number) =>
      `{ viewer { creationRequest { account { creationRequest { account { ${'id '.repeat(scalars)} } } } } } }`;
    expect(check(deepAndWide(100))).toEqual([]);
    expect(check(deepAndWide(700))).toEqual([expect.stringContaining('Query Cost limit of 5000 exceeded')]);
  });

  it('refuse introspection when it is off, and allow it when on', () => {
    expect(check('{ __schema { types { name } } }', { introspection: true })).toEqual([]);
    expect(check('{ __schema { types { name } } }', { introspection: false })).toContainEqual(
      expect.stringContaining('introspection has been disabled, but the requested query contained the field "__schema"'),
    );
    expect(check('{ __type(name: "Account") { name } }', { introspection: false })).toContainEqual(
      expect.stringContaining('introspection has been disabled'),
    );
  });
});
