/**
 * Just enough PromQL reading to say which metrics an expression selects and with which label
 * matchers: enough for the dashboard's and the alerts' own expressions, not a PromQL parser.
 */

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface Selector {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/** Every metric a PromQL expression selects, with the matchers in its braces. */
export function selectors(expr: string): Selector[] {
  // Label lists of aggregations and vector matching, range and offset durations: no metric names there.
  const text = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const found: Selector[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"' || char === "'") {
      i = text.indexOf(char, i + 1) + 1; // a string literal (e.g. label_replace's arguments)
      continue;
    }
    if (char === '{') {
      // Braces without a metric name before them: `{__name__=...}`, not used here.
      throw new Error(`a selector without a metric name in "${expr}"`);
    }
    if (/[a-zA-Z_:]/.test(char) && (i === 0 || !/[\w.$]/.test(text[i - 1]))) {
      IDENTIFIER.lastIndex = i;
      const name = IDENTIFIER.exec(text)![0];
      let next = i + name.length;
      while (text[next] === ' ') next++;
      if (text[next] === '(' || KEYWORDS.has(name.toLowerCase())) {
        i = next; // a function or aggregation, or a keyword
        continue;
      }
      let matchers: Matcher[] = [];
      if (text[next] === '{') {
        const end = text.indexOf('}', next);
        matchers = [...text.slice(next + 1, end).matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map(([, label, op, value]) => ({
          label,
          op: op as Matcher['op'],
          value,
        }));
        next = end + 1;
      }
      found.push({ metric: name, matchers });
      i = next;
      continue;
    }
    i++;
  }
  return found;
}

/** Whether a sample's labels satisfy a matcher (regular expressions anchored, as in PromQL). */
export function matches(labels: Readonly<Record<string, string>>, { label, op, value }: Matcher): boolean {
  const actual = labels[label] ?? '';
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '=~':
      return new RegExp(`^(?:${value})$`).test(actual);
    case '!~':
      return !new RegExp(`^(?:${value})$`).test(actual);
  }
}
