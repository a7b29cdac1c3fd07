import { execFileSync } from 'node:child_process';
import { parse } from 'graphql';
import { documentBytes, ENTRY_OVERHEAD_BYTES } from '../../src/graphql/documentBytes';

/** Documents of every kind of token mix, each about 100 KB: text, fields, spreads, values, directives, strings. */
const SHAPES: Readonly<Record<string, string>> = {
  comment: `# ${'x'.repeat(100_000)}\n{ __typename }`,
  fields: `{ ${'__typename '.repeat(9_000)} }`,
  aliases: `{ ${'a: __typename '.repeat(6_500)} }`,
  nested: `{ ${'_service { __typename } '.repeat(4_000)} }`,
  spreads: `{ ${'...F '.repeat(20_000)} } fragment F on Query { __typename }`,
  inlineFragments: `{ ${'... on Query { __typename } '.repeat(3_500)} }`,
  listValue: `query ($v: [Int] = [${'1 '.repeat(50_000)}]) { __typename }`,
  objectValue: `query ($v: [I] = [${'{ a: 1 } '.repeat(11_000)}]) { __typename }`,
  directives: `{ ${'__typename @skip(if: false) '.repeat(3_500)} }`,
  variables: `query (${'$v: Int '.repeat(14_000)}) { __typename }`,
  escapedString: `query ($v: String = "${'\\n'.repeat(50_000)}") { __typename }`,
  unicodeEscapes: `query ($v: String = "${'\\u4e2d'.repeat(16_000)}") { __typename }`,
  escapesBetweenText: `query ($v: String = "${'ab\\n'.repeat(25_000)}") { __typename }`,
  escapesBetweenSlices: `query ($v: String = "${'abcdefghijklmnop\\n'.repeat(6_000)}") { __typename }`,
  shortStrings: `query ($v: [String] = [${'"ab" '.repeat(20_000)}]) { __typename }`,
  blockString: `query ($v: String = """${'x'.repeat(100_000)}""") { __typename }`,
};

/**
 * Parses 20 unique copies of a text in a fresh process with `--expose-gc` and answers the heap each
 * copy keeps after a full collection (syntax only: the shapes need not validate). One process per
 * text: memory freed from an earlier measurement would be counted against a later one.
 */
function retainedHeapPerDocument(text: string): number {
  const script = `
    const { parse } = require(${JSON.stringify(require.resolve('graphql'))});
    const text = require('node:fs').readFileSync(0, 'utf8');
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const kept = [];
    for (let i = 0; i < 20; i++) kept.push(parse('# ' + i + '\\n' + text));
    globalThis.gc();
    process.stdout.write(String((process.memoryUsage().heapUsed - before) / kept.length));
  `;
  return Number(execFileSync(process.execPath, ['--expose-gc', '-e', script], { input: text, encoding: 'utf8' }));
}

describe('documentBytes', () => {
  test('with the entry overhead, is at least the heap a parsed document keeps, and within a few times of it, for every mix of tokens', () => {
    const rows = Object.entries(SHAPES).map(([name, text]) => ({
      name,
      // What a cache counts for the document.
      estimate: documentBytes(parse(`# 0\n${text}`)) + ENTRY_OVERHEAD_BYTES,
      retained: Math.round(retainedHeapPerDocument(text)),
    }));
    for (const row of rows) {
      expect({ ...row, atLeastRetained: row.estimate >= row.retained }).toEqual({ ...row, atLeastRetained: true });
      expect({ ...row, withinFourTimes: row.estimate <= 4 * row.retained }).toEqual({ ...row, withinFourTimes: true });
    }
  });

  test('sizes a document without locations by its nodes and printed text', () => {
    const text = `{ ${'__typename '.repeat(100)} }`;
    const without = documentBytes(parse(text, { noLocation: true }));
    expect(without).toBeGreaterThan(100 * 400);
    expect(without).toBeLessThan(documentBytes(parse(text)) * 4);
  });
});
