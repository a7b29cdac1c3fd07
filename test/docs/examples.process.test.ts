import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildSchema, DocumentNode, GraphQLSchema, isExecutableDefinitionNode, Kind, parse, validate } from 'graphql';
import { ErrorCode } from '../../src/errors/errorCode';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { readCurlCommand } from './curlCommand';
import { readDocs, DocBlock } from './docBlocks';
import { startStack } from '../support/stack';

/**
 * The README and docs/ are run, not just read: every `curl` against the gateway is sent, as curl
 * would send it, to a gateway on the simulator and must answer the `json` block after it, every `graphql` block is
 * valid against the schema (and runs without errors when it is a whole operation), and every other
 * shell block says why it cannot run (`sh no-run: <why>`). Relative links must lead somewhere.
 */

const ROOT = join(__dirname, '..', '..');
const GATEWAY = 'http://localhost:4000';
const docs = readDocs(ROOT);
const blocks = docs.flatMap((doc) => doc.blocks);
const where = (block: DocBlock): string => `${block.file}:${block.line}`;

const SHELL = new Set(['sh', 'bash', 'shell']);
const shellBlocks = blocks.filter((block) => SHELL.has(block.language));
const notRun = shellBlocks.filter((block) => block.noRun !== undefined);
const curls = shellBlocks
  .filter((block) => block.noRun === undefined)
  .map((block) => ({ block, answer: blocks[blocks.indexOf(block) + 1] }));

describe('shell blocks', () => {
  test('there are curl examples to run', () => {
    expect(curls.length).toBeGreaterThanOrEqual(4);
  });

  test.each(notRun.map((block) => [where(block), block] as const))('%s is marked no-run, with why', (_where, block) => {
    expect(block.noRun).toMatch(/\w{3,}/);
  });

  test.each(curls.map(({ block, answer }) => [where(block), block, answer] as const))(
    '%s is a curl to the gateway, followed by its answer',
    (_where, block, answer) => {
      expect(block.text).toMatch(/^curl /);
      expect(block.text).toContain(`${GATEWAY}/graphql`);
      expect(answer?.language).toBe('json');
      expect(answer?.file).toBe(block.file);
    },
  );

  test.each(curls.map(({ block, answer }) => [where(block), block, answer] as const))(
    '%s answers what the docs show',
    async (_where, block, answer) => {
      const stack = await startStack();
      try {
        const request = await readCurlCommand(block.text);
        const response = await fetch(request.url.replace(GATEWAY, new URL(stack.graphqlUrl).origin), request);
        expect(JSON.parse(await response.text())).toEqual(JSON.parse(answer.text));
      } finally {
        await stack.close();
      }
    },
  );
});

describe('graphql blocks', () => {
  const schema: GraphQLSchema = buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
  const graphqlBlocks = blocks.filter((block) => block.language === 'graphql').map((block) => ({ block, document: parse(block.text) }));
  const operations = graphqlBlocks.filter(({ document }) => document.definitions.every(isExecutableDefinitionNode));
  const runnable = operations.filter(({ document }) => isWholeOperation(document));

  test('there are operations to run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(2);
  });

  test.each(graphqlBlocks.filter((entry) => !operations.includes(entry)).map(({ block, document }) => [where(block), document] as const))(
    '%s is type definitions only (another subgraph’s SDL)',
    (_where, document) => {
      expect(
        document.definitions.every(
          (definition) => definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION,
        ),
      ).toBe(true);
    },
  );

  test.each(operations.map(({ block, document }) => [where(block), document] as const))(
    '%s is valid against schema/schema.graphql',
    (_where, document) => {
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    },
  );

  test.each(runnable.map(({ block }) => [where(block), block] as const))(
    '%s runs on the simulator without errors',
    async (_where, block) => {
      const stack = await startStack();
      try {
        const response = await fetch(stack.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_TOKENS.admin}` },
          body: JSON.stringify({ query: block.text }),
        });
        const body = (await response.json()) as { data?: unknown; errors?: unknown };
        expect(body.errors).toBeUndefined();
        expect(body.data).toEqual(expect.any(Object));
      } finally {
        await stack.close();
      }
    },
  );
});

/** One operation that needs no variables: it can be sent as it is written. */
function isWholeOperation(document: DocumentNode): boolean {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length === 1 &&
    (operations[0].variableDefinitions ?? []).every(
      (variable) => variable.defaultValue !== undefined || variable.type.kind !== Kind.NON_NULL_TYPE,
    )
  );
}

describe('what the docs promise', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const frontend = readFileSync(join(ROOT, 'docs', 'frontend.md'), 'utf8');

  test('the error table in docs/frontend.md lists every ErrorCode', () => {
    for (const code of Object.values(ErrorCode)) expect(frontend).toContain(`| \`${code}\` |`);
  });

  test('the README documents the demo ids and tokens the simulator really uses', () => {
    for (const value of [DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID, ...Object.values(DEMO_TOKENS)]) {
      expect(readme).toContain(value);
    }
  });

  test('the README gives exactly the two set-up commands, and .ci/run runs the test one', () => {
    const setUp = shellBlocks.filter((block) => block.file === 'README.md' && block.noRun !== undefined).map((block) => block.text);
    expect(setUp).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/npm ci[\s\S]*npm test/);
  });

  test('the README stays short', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });
});

describe('links', () => {
  const links = docs.flatMap((doc) =>
    [...doc.prose.matchAll(/\]\(([^)\s]+)\)/g)]
      .map(([, target]) => ({ file: doc.file, target }))
      .filter(({ target }) => !/^[a-z]+:/.test(target)),
  );

  test.each(links.map(({ file, target }) => [file, target] as const))('%s → %s leads somewhere', (file, target) => {
    const [path, anchor] = target.split('#');
    const resolved = path ? relative(ROOT, join(ROOT, dirname(file), path)) : file;
    expect(existsSync(join(ROOT, resolved))).toBe(true);
    if (anchor) {
      const doc = docs.find((candidate) => candidate.file === resolved);
      expect(doc?.anchors).toContain(anchor);
    }
  });
});

describe('files named', () => {
  // A file the docs name in code (`test/…`, `src/…`) must exist: renames (a test file taking its
  // kind's suffix) otherwise leave the docs pointing at nothing, and no link check sees a code span.
  const named = docs.flatMap((doc) =>
    [
      ...doc.prose.matchAll(
        /`((?:src|test|bench|deploy|scripts|bin|schema|client|types)\/[^`\s*]+\.(?:ts|mjs|js|sh|md|json|ya?ml|graphql))`/g,
      ),
    ].map(([, path]) => [doc.file, path] as const),
  );

  test('there are files named', () => {
    expect(named.length).toBeGreaterThan(20);
  });

  test.each(named)('%s names %s, which exists', (_file, path) => {
    expect(existsSync(join(ROOT, path))).toBe(true);
  });
});

test('docs/ holds only pages this test reads', () => {
  expect(readdirSync(join(ROOT, 'docs')).every((name) => name.endsWith('.md'))).toBe(true);
});
