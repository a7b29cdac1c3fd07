/**
 * Reads what bench/heapSampler.ts writes (a V8 sampling heap profile with collected objects
 * included) and answers where the bytes were allocated: per function (self) and per package, the
 * same grouping as the CPU summary.
 */
import { CallFrame, functionKey, packageOf } from './cpuProfile';

export interface HeapNode {
  readonly callFrame: CallFrame;
  /** Bytes allocated at this frame (V8's estimate, scaled from its samples). */
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

export interface HeapProfile {
  readonly head: HeapNode;
}

export interface HeapSummary {
  readonly totalBytes: number;
  readonly functions: ReadonlyArray<{ name: string; pkg: string; self: number; inclusive: number }>;
  readonly packages: ReadonlyArray<{ name: string; self: number; inclusive: number }>;
}

export function summarizeHeap(profile: HeapProfile): HeapSummary {
  const functions = new Map<string, { name: string; pkg: string; self: number; inclusive: number }>();
  const packages = new Map<string, { name: string; self: number; inclusive: number }>();
  let totalBytes = 0;
  // Depth first; each node's subtree total goes to every distinct function and package above it.
  const walk = (node: HeapNode, fnStack: Set<string>, pkgStack: Set<string>): number => {
    const isRoot = node.callFrame.functionName === '(root)' && !node.callFrame.url;
    const name = functionKey(node.callFrame);
    const pkg = packageOf(node.callFrame);
    const addedFn = !isRoot && !fnStack.has(name);
    const addedPkg = !isRoot && !pkgStack.has(pkg);
    if (addedFn) fnStack.add(name);
    if (addedPkg) pkgStack.add(pkg);
    let subtree = node.selfSize;
    for (const child of node.children) subtree += walk(child, fnStack, pkgStack);
    if (addedFn) fnStack.delete(name);
    if (addedPkg) pkgStack.delete(pkg);
    if (!isRoot) {
      let fn = functions.get(name);
      if (!fn) functions.set(name, (fn = { name, pkg, self: 0, inclusive: 0 }));
      fn.self += node.selfSize;
      if (addedFn) fn.inclusive += subtree;
      let p = packages.get(pkg);
      if (!p) packages.set(pkg, (p = { name: pkg, self: 0, inclusive: 0 }));
      p.self += node.selfSize;
      if (addedPkg) p.inclusive += subtree;
    }
    totalBytes += node.selfSize;
    return subtree;
  };
  walk(profile.head, new Set(), new Set());
  return { totalBytes, functions: [...functions.values()], packages: [...packages.values()] };
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** Markdown: bytes per operation by package, then the top allocating functions. */
export function renderHeapSummary(summary: HeapSummary, ops: number, top = 30): string {
  const perOp = (bytes: number): string => kb(bytes / Math.max(1, ops));
  const packages = [...summary.packages].sort((a, b) => b.self - a.self);
  const bySelf = [...summary.functions].sort((a, b) => b.self - a.self).slice(0, top);
  const byInclusive = [...summary.functions].sort((a, b) => b.inclusive - a.inclusive).slice(0, top);
  return [
    `Allocated in the window: ${(summary.totalBytes / 2 ** 20).toFixed(1)} MB over ${ops} operations, **${perOp(summary.totalBytes)} KB per operation** (V8's sampling estimate, collected objects included).`,
    '',
    '### Allocations by package (KB per operation)',
    '',
    '| package | self | inclusive |',
    '| --- | ---: | ---: |',
    ...packages.map((p) => `| ${p.name} | ${perOp(p.self)} | ${perOp(p.inclusive)} |`),
    '',
    `### Top ${top} allocating functions (KB per operation)`,
    '',
    '| # | function | package | self | inclusive |',
    '| ---: | --- | --- | ---: | ---: |',
    ...bySelf.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.pkg} | ${perOp(f.self)} | ${perOp(f.inclusive)} |`),
    '',
    `### Top ${top} functions by allocations below them (KB per operation)`,
    '',
    '| # | function | package | inclusive | self |',
    '| ---: | --- | --- | ---: | ---: |',
    ...byInclusive.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.pkg} | ${perOp(f.inclusive)} | ${perOp(f.self)} |`),
  ].join('\n');
}
