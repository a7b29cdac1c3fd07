import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * One rule for file names, so a name says what is inside: a file whose one runtime export is a
 * class is named after it in PascalCase (its options and event types may sit beside it); a
 * PascalCase file exports the class it is named after (with a companion class or helper at most);
 * every other file is camelCase. A test takes the exact name of the file it mirrors.
 */

const ROOT = path.join(__dirname, '..');

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The file's name before its first dot: `InviteLoader` of `InviteLoader.lazy.test.ts`. */
const stem = (file: string): string => path.basename(file).split('.')[0];
const isPascalCase = (name: string): boolean => /^[A-Z][A-Za-z0-9]*$/.test(name);
const isCamelCase = (name: string): boolean => /^[a-z][A-Za-z0-9]*$/.test(name);

/** The names of the classes the file exports, and how many runtime values it exports that are not classes. */
function runtimeExports(file: string): { classes: string[]; others: number } {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const classes: string[] = [];
  let others = 0;
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isClassDeclaration(statement) && exported) classes.push(statement.name?.text ?? 'default');
    else if ((ts.isFunctionDeclaration(statement) || ts.isVariableStatement(statement) || ts.isEnumDeclaration(statement)) && exported)
      others += 1;
    else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) others += 1;
    else if (ts.isExportAssignment(statement)) others += 1;
  }
  return { classes, others };
}

/** Why the file's name breaks the rule, or undefined. */
function misnamed(file: string): string | undefined {
  const name = stem(file);
  if (file.endsWith('.test.ts')) {
    const mirrored = path.join('src', path.relative('test', path.dirname(file)));
    const source = fs.existsSync(path.join(ROOT, mirrored))
      ? fs.readdirSync(path.join(ROOT, mirrored)).find((entry) => entry.toLowerCase() === `${name.toLowerCase()}.ts`)
      : undefined;
    if (source) return stem(source) === name ? undefined : `tests ${path.join(mirrored, source)}, so is named ${stem(source)}`;
    return isCamelCase(name) ? undefined : 'mirrors no file of that name in src/, so is camelCase';
  }
  const { classes, others } = runtimeExports(file);
  if (classes.length === 1 && others === 0)
    return name === classes[0] ? undefined : `exports only the class ${classes[0]}, so is named ${classes[0]}.ts`;
  if (isPascalCase(name)) return classes.includes(name) ? undefined : `is PascalCase but exports no class ${name}, so is camelCase`;
  return isCamelCase(name) ? undefined : 'is neither camelCase nor a class name';
}

test('every file in src/ and test/ is named by the rule', () => {
  const files = [...typeScriptFiles('src'), ...typeScriptFiles('test')];
  expect(files.length).toBeGreaterThan(100);
  const broken = files.flatMap((file) => {
    const reason = misnamed(file);
    return reason ? [`${file} ${reason}`] : [];
  });
  expect(broken).toEqual([]);
});

test('the rule tells each kind of file apart', () => {
  // One known file of each kind, so a rule that passes everything cannot pass this.
  expect(misnamed('src/rest/resilience/ResilientInvitesApi.ts')).toBeUndefined();
  expect(misnamed('src/rest/invitesApi.ts')).toBeUndefined();
  expect(misnamed('src/simulator/InviteStore.ts')).toBeUndefined();
  expect(misnamed('test/context/RequestContext.test.ts')).toBeUndefined();
});
