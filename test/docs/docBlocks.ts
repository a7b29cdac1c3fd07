import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fenced block of a Markdown page: ```language [no-run: why] */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  /** The reason after `no-run:` in the info string, when the block is not to be run. */
  readonly noRun: string | undefined;
  /** The block's text, without the indentation of its fence (blocks inside list items). */
  readonly text: string;
}

export interface DocPage {
  readonly file: string;
  readonly blocks: readonly DocBlock[];
  /** The page with its fenced blocks removed. */
  readonly prose: string;
  /** GitHub's anchors for the page's headings. */
  readonly anchors: readonly string[];
}

const FENCE = /^( *)```(\S*)([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm;

/** README.md and every page of docs/, relative to `root`. */
export function readDocs(root: string): DocPage[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  return files.map((file) => readPage(file, readFileSync(join(root, file), 'utf8')));
}

export function readPage(file: string, text: string): DocPage {
  const blocks: DocBlock[] = [];
  for (const match of text.matchAll(FENCE)) {
    const [, indent, language, info, body] = match;
    const noRun = /^\s*no-run:(.*)$/.exec(info)?.[1]?.trim();
    blocks.push({
      file,
      line: text.slice(0, match.index).split('\n').length,
      language,
      noRun: noRun ?? (/no-run/.test(info) ? '' : undefined),
      text: body
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n')
        .trim(),
    });
  }
  const prose = text.replace(FENCE, '');
  const anchors = [...prose.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => anchorOf(heading));
  return { file, blocks, prose, anchors };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}
