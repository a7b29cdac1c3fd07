#!/usr/bin/env node
// The layering rule of `npm run lint`: no folder directly under a source root imports, directly or
// through other folders, one that imports it back. Each folder is a room with one job; an arrow
// that runs back up means two rooms can no longer be understood, tested or replaced apart.
//
//   node scripts/check-layers.mjs [root ...]    (default: src)
//
// Every relative import counts, type-only ones too: `import`, `export … from`, `import x =
// require()`, `require()`, `import()` and `typeof import()`. A file directly in a root (main.ts)
// is a node of its own. Exits 1 and names each import of every cycle found; 0 when there is none.
// TypeScript's own parser reads the files, so the rule needs no dependency of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/** Relative module specifiers a source file names, in the order they appear. */
export function relativeSpecifiers(fileName, text) {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found = [];
  const take = (node) => {
    if (node && ts.isStringLiteralLike(node) && node.text.startsWith('.')) found.push(node.text);
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) take(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) take(node.moduleReference.expression);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) take(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) take(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The node a path inside `root` belongs to: its first folder, or the file itself; undefined outside the root. */
function nodeOf(root, path) {
  const parts = relative(root, path).split(sep);
  if (parts[0] === '..' || parts[0] === '') return undefined;
  return parts.length > 1 ? `${parts[0]}/` : parts[0].replace(SOURCE, '');
}

/**
 * The arrows between the folders of `root`: a map from folder to the folders it imports, each
 * with the imports that draw that arrow (`file -> specifier`, file relative to the root's parent).
 */
export function folderGraph(root) {
  const base = dirname(resolve(root));
  const graph = new Map();
  for (const file of sourceFiles(resolve(root))) {
    const from = nodeOf(resolve(root), file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const specifier of relativeSpecifiers(file, readFileSync(file, 'utf8'))) {
      const to = nodeOf(resolve(root), resolve(dirname(file), specifier));
      if (to === undefined || to === from) continue;
      const arrows = graph.get(from);
      if (!arrows.has(to)) arrows.set(to, []);
      arrows.get(to).push(`${relative(base, file).split(sep).join('/')} -> ${specifier}`);
    }
  }
  return graph;
}

/** The groups of folders that reach one another (Tarjan's strongly connected components of more than one folder). */
export function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return found;
}

/** Checks each root; answers the report lines, empty when no root has a cycle. */
export function checkLayers(roots) {
  const lines = [];
  for (const root of roots) {
    const graph = folderGraph(root);
    for (const component of cycles(graph)) {
      lines.push(`${root}: ${component.join(', ')} import one another:`);
      for (const from of component) {
        for (const [to, imports] of graph.get(from) ?? []) {
          if (!component.includes(to)) continue;
          for (const line of imports) lines.push(`  ${from} -> ${to}  ${line}`);
        }
      }
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src'];
  const lines = checkLayers(roots);
  if (lines.length > 0) {
    console.error(['Folders that import one another (move what both need into a folder of its own):', ...lines].join('\n'));
    process.exit(1);
  }
  console.log(`layers: no folder of ${roots.join(', ')} imports one that imports it back`);
}
