/** The parts of a request target the routes look at. */
export interface RequestTarget {
  readonly pathname: string;
  /** `?` and the query string, or empty. */
  readonly search: string;
}

/** A plain absolute path: segments of word characters, dashes and dots that start with no dot (so no dot segments), no `//`. */
const PLAIN_PATH = /^(?:\/[\w-][\w.-]*)*\/?$/;

/** Query-string characters the URL parser drops or escapes (the rest of its set cannot reach us: Node's HTTP parser refuses them). */
const SEARCH_NORMALISED = /[#']/;

/**
 * Path and query string of the request target. A plain origin-form target is split at its `?`
 * rather than parsed as a URL, which costs every request (figures in bench/results/changes.md);
 * anything the URL parser would normalise (dot segments, `//`, escapes, absolute-form) still goes
 * through it.
 */
export function requestTarget(target: string | undefined): RequestTarget {
  const raw = target ?? '/';
  const q = raw.indexOf('?');
  const pathname = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? '' : raw.slice(q);
  if (PLAIN_PATH.test(pathname) && !SEARCH_NORMALISED.test(search)) return { pathname, search: search === '?' ? '' : search };
  const url = new URL(raw, 'http://gateway');
  return { pathname: url.pathname, search: url.search };
}
