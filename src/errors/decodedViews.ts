/*
 * Decoded views of a text, for finding a secret however an upstream wrote it: as it is,
 * JSON-unescaped once and twice, percent-decoded and form-decoded. Each UTF-16 unit of a view
 * knows the span of the original text it was decoded from, so a secret found in a view can be
 * cut out of the original itself.
 */

export interface View {
  readonly text: string;
  /** For each UTF-16 unit of `text`, where its source starts and ends in the original text. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Decodes the escape starting at `at`, if there is one there. */
type Decoder = (source: string, at: number) => { units: string; length: number } | undefined;

/** The text as it is, JSON-unescaped once and twice, percent-decoded, and form-decoded. */
export function viewsOf(text: string): View[] {
  const raw = identityView(text);
  const views = [raw];
  // Most texts have nothing to decode; their views would all equal the raw one.
  if (text.includes('\\')) {
    const json = decode(raw, ['\\'], jsonEscape);
    views.push(json, decode(json, ['\\'], jsonEscape));
  }
  if (text.includes('%')) views.push(decode(raw, ['%'], percentEscape));
  if (text.includes('+') || text.includes('%')) views.push(decode(raw, ['+', '%'], formEscape));
  return views;
}

function identityView(text: string): View {
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text, starts, ends };
}

/**
 * Decodes a view, copying the runs between escapes (found by `indexOf` of the characters that can
 * start one) as they are. No escape decodes to more units than it is long, so a view is never
 * longer than its source.
 */
function decode(view: View, triggers: readonly string[], decoder: Decoder): View {
  const source = view.text;
  const starts = new Int32Array(source.length);
  const ends = new Int32Array(source.length);
  const parts: string[] = [];
  let out = 0;
  const keep = (from: number, to: number): void => {
    parts.push(source.slice(from, to));
    for (let i = from; i < to; i++, out++) {
      starts[out] = view.starts[i];
      ends[out] = view.ends[i];
    }
  };
  const next = triggers.map((trigger) => source.indexOf(trigger));
  for (let at = 0; at < source.length;) {
    for (let t = 0; t < triggers.length; t++) if (next[t] !== -1 && next[t] < at) next[t] = source.indexOf(triggers[t], at);
    const escape = next.reduce((first, position) => (position !== -1 && position < first ? position : first), source.length);
    keep(at, escape);
    if (escape >= source.length) break;
    const decoded = decoder(source, escape);
    if (decoded === undefined) {
      keep(escape, escape + 1);
      at = escape + 1;
      continue;
    }
    parts.push(decoded.units);
    for (let u = 0; u < decoded.units.length; u++, out++) {
      starts[out] = view.starts[escape];
      ends[out] = view.ends[escape + decoded.length - 1];
    }
    at = escape + decoded.length;
  }
  return { text: parts.join(''), starts: starts.subarray(0, out), ends: ends.subarray(0, out) };
}

const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const HEX4 = /^[0-9a-fA-F]{4}$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;

const jsonEscape: Decoder = (source, at) => {
  if (source[at] !== '\\' || at + 1 >= source.length) return undefined;
  const next = source[at + 1];
  if (Object.prototype.hasOwnProperty.call(JSON_SHORT_ESCAPES, next)) return { units: JSON_SHORT_ESCAPES[next], length: 2 };
  const hex = source.slice(at + 2, at + 6);
  if (next === 'u' && HEX4.test(hex)) return { units: String.fromCharCode(parseInt(hex, 16)), length: 6 };
  return undefined;
};

/** One `%XX` byte, or a complete UTF-8 sequence of them; anything else is left as it is. */
const percentEscape: Decoder = (source, at) => {
  const byteAt = (i: number): number | undefined => {
    const hex = source.slice(i + 1, i + 3);
    return source[i] === '%' && HEX2.test(hex) ? parseInt(hex, 16) : undefined;
  };
  const lead = byteAt(at);
  if (lead === undefined) return undefined;
  if (lead < 0x80) return { units: String.fromCharCode(lead), length: 3 };
  const count = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (count === 0) return undefined;
  const bytes = [lead];
  for (let k = 1; k < count; k++) {
    const next = byteAt(at + 3 * k);
    if (next === undefined || next < 0x80 || next > 0xbf) return undefined;
    bytes.push(next);
  }
  const units = Buffer.from(bytes).toString('utf8');
  // Overlong or surrogate encodings decode to U+FFFD: not a character anyone encoded.
  return units.includes('\ufffd') ? undefined : { units, length: 3 * count };
};

const formEscape: Decoder = (source, at) => (source[at] === '+' ? { units: ' ', length: 1 } : percentEscape(source, at));

/** Where in `text` any of the secrets shows, in any view, as sorted, merged `[start, end)` spans. */
export function secretSpans(text: string, secrets: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const view of viewsOf(text)) {
    for (const secret of secrets) {
      // Occurrences that overlap an earlier one are not looked for (that search is quadratic on a
      // periodic secret); what they leave behind makes the redactor withhold the text.
      for (let found = view.text.indexOf(secret); found !== -1; found = view.text.indexOf(secret, found + secret.length)) {
        ranges.push([view.starts[found], view.ends[found + secret.length - 1]]);
      }
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
