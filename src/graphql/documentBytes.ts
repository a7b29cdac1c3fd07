import { DocumentNode, print, Token, TokenKind, visit } from 'graphql';

/**
 * Heap one token of a parsed document holds: the token itself (tokens stay linked from every
 * node's location) plus its share of the AST nodes and `Location` objects built from it. Measured
 * on graphql 16 between 230 bytes (values, spreads) and 515 bytes (a field of one name: a field
 * node, a name node, two locations, two empty lists); a quarter above the upper end is taken so
 * that caches sized with it are capped from above (test/graphql/documentBytes.process.test.ts checks it).
 */
export const TOKEN_BYTES = 640;

/**
 * Heap one escape sequence of a string value may hold: graphql-js appends the value piece by piece,
 * so `"ab\nab\n…"` is kept as a tree of concatenations and short copies (34 to 105 bytes an escape,
 * measured) until something flattens it.
 */
export const ESCAPE_BYTES = 128;

/** What a document holds whatever its tokens: the document node, its `Source`, its list of definitions (about 2 KB measured). */
export const DOCUMENT_BYTES = 4 * 1024;

/** What a cache keeps per entry besides the document: its key, and the cache's own bookkeeping. */
export const ENTRY_OVERHEAD_BYTES = 1024;

/**
 * Heap a string of this text may take, from above: V8 keeps one byte a character, or two once any
 * character is outside Latin-1, and a string of tens of kilobytes can leave as much again unused
 * in its page (measured up to 30 % on 100 KB).
 */
export function textBytes(text: string): number {
  return 2 * text.length;
}

/**
 * An estimate, from above, of the heap a parsed document keeps alive: its source text (see
 * `textBytes`), `TOKEN_BYTES` for every token (comments included), and the decoded text of string
 * values with `ESCAPE_BYTES` for each escape sequence in them.
 *
 * Caches of documents are sized with it. Apollo's default sizes a document by `JSON.stringify`,
 * which leaves out the source text (`Location` serialises as its offsets) and the tokens, so a
 * 900 KB document counted as a few hundred bytes; sizing by the text alone would undercount a
 * document of short tokens (`...F ...F ...F`) a hundredfold. Runs in one pass over the tokens,
 * once per new document, never per request.
 */
export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  if (!loc) return withoutLocations(document);
  const body = loc.source.body;
  let bytes = DOCUMENT_BYTES + textBytes(body);
  for (let token: Token | null = loc.startToken; token !== null; token = token.next) {
    bytes += TOKEN_BYTES;
    // String values are new strings beside the source (other values are slices of it).
    if (token.kind === TokenKind.STRING) bytes += textBytes(token.value) + ESCAPE_BYTES * escapesIn(body, token.start, token.end);
    else if (token.kind === TokenKind.BLOCK_STRING) bytes += textBytes(token.value);
  }
  return bytes;
}

/** Backslashes between `start` and `end`: a scan of the token alone, so all tokens together cost one pass over the text. */
function escapesIn(body: string, start: number, end: number): number {
  let escapes = 0;
  for (let index = start; index < end; index++) if (body.charCodeAt(index) === BACKSLASH) escapes++;
  return escapes;
}

const BACKSLASH = 0x5c;

/**
 * A document built without locations (`parse(..., { noLocation: true })` or by hand) has no tokens: its nodes and printed text are counted
 * instead.
 */
function withoutLocations(document: DocumentNode): number {
  let nodes = 0;
  visit(document, {
    enter() {
      nodes++;
    },
  });
  return DOCUMENT_BYTES + nodes * TOKEN_BYTES + textBytes(print(document));
}
