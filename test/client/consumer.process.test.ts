import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/*
 * The generated types are only worth having if they reject wrong code. consumer/consumer.ts must
 * compile under a frontend's tsconfig; each snippet below must fail, on its one marked line, with
 * the expected diagnostic (so a broken import, which fails everything, cannot pass for a check).
 */

const root = resolve(__dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// client/ by its entry file: its package.json points a directory import at the built dist/.
const clientIndex = join(root, 'client', 'index.js');
const consumerTsconfig = join(__dirname, 'consumer', 'tsconfig.json');

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

interface TscRun {
  readonly exitCode: number;
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs `tsc -p project` in its own process; resolves with the exit code and parsed errors. */
function runTsc(project: string): Promise<TscRun> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: root }, (error, stdout, stderr) => {
      // A failure with no exit code (the command never started) rejects; an exit code is a result.
      if (error && typeof error.code !== 'number') return reject(new Error(error.message, { cause: error }));
      const exitCode = typeof error?.code === 'number' ? error.code : 0;
      const output = `${stdout}${stderr}`;
      const diagnostics = [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map(([, file, line, code, message]) => ({
        file: basename(file),
        line: Number(line),
        code,
        message,
      }));
      resolvePromise({ exitCode, output, diagnostics });
    });
  });
}

// Shared by every snippet; each snippet adds one line after it.
const PRELUDE = `import {
  ErrorCode, InviteMemberDocument, ListOrgInvitesDocument,
  type ListOrgInvitesQuery, type ListOrgInvitesQueryVariables, type OrgInviteFieldsFragment, type TypedDocumentNode,
} from ${JSON.stringify(clientIndex)};
// NoInfer: the variables type comes from the document alone, as with a real GraphQL client.
declare function run<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: NoInfer<TVariables>): TResult;
declare const list: ListOrgInvitesQuery;
declare const invite: OrgInviteFieldsFragment;
declare const code: ErrorCode;
export {};
`;
const SNIPPET_LINE = PRELUDE.split('\n').length;

const VALID_INVITE = `{ instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718295', invite: { email: 'x@example.com', role: 'VIEW' } }`;

/** [name, the line, the TypeScript error it must cause, a piece of that error's message] */
const MUST_FAIL: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    'an unknown sortField value',
    `run(ListOrgInvitesDocument, { instanceId: 'a', orgId: 'b', sortField: 'NAME' });`,
    'TS2322',
    `'"NAME"' is not assignable to type 'InviteSortField'`,
  ],
  ['a missing required variable', `run(InviteMemberDocument, { instanceId: 'a', orgId: 'b' });`, 'TS2345', 'invite: OrgInviteInput;'],
  [
    'null for a variable that has a default',
    `const variables: ListOrgInvitesQueryVariables = { instanceId: 'a', orgId: 'b', sortDirection: null };`,
    'TS2322',
    `'null' is not assignable to type 'SortDirection'`,
  ],
  [
    'an unknown role in OrgInviteInput',
    `run(InviteMemberDocument, { instanceId: 'a', orgId: 'b', invite: { email: 'x@example.com', role: 'OWNER' } });`,
    'TS2322',
    `'"OWNER"' is not assignable to type 'OrgRole'`,
  ],
  ['a field the operation does not select', `list.orgInvites?.items.map((item) => item.name);`, 'TS2339', `Property 'name' does not exist`],
  [
    'a root field that can fail alone, read without a check',
    `const count: number = list.orgInvites.count;`,
    'TS18047',
    `'list.orgInvites' is possibly 'null'`,
  ],
  ['a DateTime read as a Date', `const sentAt: Date = invite.inviteDate;`, 'TS2322', `Type 'string' is not assignable to type 'Date'`],
  [
    'the nullable invite read without a check',
    `const ttl: number | undefined = run(InviteMemberDocument, ${VALID_INVITE}).inviteMember?.invite.ttl;`,
    'TS2531',
    `possibly 'null'`,
  ],
  [
    'a mutation result read without a check',
    `const created = run(InviteMemberDocument, ${VALID_INVITE}).inviteMember.invite;`,
    'TS2531',
    `possibly 'null'`,
  ],
  ['an error code the schema does not have', `switch (code) { case 'TEAPOT': break; }`, 'TS2678', `not comparable to type 'ErrorCode'`],
];

// The same harness on correct lines: proves a failure above comes from the line, not the set-up.
const MUST_PASS: ReadonlyArray<readonly [string, string]> = [
  [
    'variables of the generated type',
    `run(ListOrgInvitesDocument, { instanceId: 'a', orgId: 'b', sortField: 'EMAIL', filterField: 'ROLE', filter: 'edit' });`,
  ],
  ['a checked nullable field', `const ttl: number | undefined = run(InviteMemberDocument, ${VALID_INVITE}).inviteMember?.invite?.ttl;`],
  ['a checked root field', `const count: number | undefined = list.orgInvites?.count;`],
  ['a known error code', `switch (code) { case 'FORBIDDEN': case ErrorCode.NOT_FOUND: break; }`],
];

/** The ```ts example of docs/frontend.md's "Typed operations" section, importing client/ for the package. */
function docsExample(): string {
  const page = readFileSync(join(root, 'docs', 'frontend.md'), 'utf8');
  const section = page.slice(page.indexOf('## Typed operations for frontend teams'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!example) throw new Error('docs/frontend.md has no ```ts example under "Typed operations for frontend teams"');
  return `declare function signIn(): void;\n${example.replace(/from '(?:\.\/client|@invites-gateway\/client)'/, `from ${JSON.stringify(clientIndex)}`)}`;
}

const snippetFile = (index: number): string => `snippet${index}.ts`;
const cases = [...MUST_FAIL.map(([name, line]) => ({ name, line })), ...MUST_PASS.map(([name, line]) => ({ name, line }))];

let consumer: TscRun;
let snippets: TscRun;
let snippetDir: string;

beforeAll(async () => {
  // Under node_modules/.cache: packages (graphql) resolve as from the repo, yet neither the repo's
  // tsconfig nor jest looks there, and git ignores it.
  const cacheDir = join(root, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  snippetDir = mkdtempSync(join(cacheDir, 'client-snippets-'));
  cases.forEach(({ line }, index) => writeFileSync(join(snippetDir, snippetFile(index)), `${PRELUDE}${line}\n`));
  writeFileSync(join(snippetDir, 'docsExample.ts'), docsExample());
  writeFileSync(
    join(snippetDir, 'tsconfig.json'),
    JSON.stringify({
      extends: consumerTsconfig,
      // Snippets declare more than each one uses; every other check stays as a frontend has it.
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
      files: [...cases.map((_case, index) => snippetFile(index)), 'docsExample.ts'],
    }),
  );
  // Two compiler processes side by side: a few seconds instead of twice that.
  [consumer, snippets] = await Promise.all([runTsc(consumerTsconfig), runTsc(join(snippetDir, 'tsconfig.json'))]);
}, 60_000);

afterAll(() => {
  if (snippetDir) rmSync(snippetDir, { recursive: true, force: true });
});

test('consumer/consumer.ts type-checks against client/ under a frontend tsconfig', () => {
  expect(consumer.output).toBe('');
  expect(consumer.exitCode).toBe(0);
});

describe('the generated types reject', () => {
  test.each(MUST_FAIL.map(([name, , code, message], index) => [name, index, code, message] as const))(
    '%s',
    (_name, index, code, message) => {
      const errors = snippets.diagnostics.filter((diagnostic) => diagnostic.file === snippetFile(index));

      expect(errors).toContainEqual(expect.objectContaining({ code, message: expect.stringContaining(message) }));
      // Only the snippet's own line may fail.
      expect(errors.filter((error) => error.line !== SNIPPET_LINE)).toEqual([]);
    },
  );
});

describe('the same harness accepts', () => {
  test.each(MUST_PASS.map(([name], index) => [name, MUST_FAIL.length + index] as const))('%s', (_name, index) => {
    expect(snippets.diagnostics.filter((diagnostic) => diagnostic.file === snippetFile(index))).toEqual([]);
  });

  test("docs/frontend.md's example", () => {
    expect(snippets.diagnostics.filter((diagnostic) => diagnostic.file === 'docsExample.ts')).toEqual([]);
  });

  test('and the compiler found nothing outside the snippets', () => {
    expect(snippets.diagnostics.filter((diagnostic) => !/^snippet\d+\.ts$/.test(diagnostic.file))).toEqual([]);
    expect(snippets.exitCode).not.toBe(0);
  });
});
