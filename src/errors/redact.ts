import { secretSpans, viewsOf } from './decodedViews';

/** What every removed credential reads as. */
export const REDACTED = '[REDACTED]';

/**
 * A caller's secret shorter than this is not cut out of text (it would cut ordinary words to
 * pieces: a one-letter token is in most sentences); text holding it is withheld whole instead.
 */
export const MIN_INLINE_SECRET_LENGTH = 4;

// Other people's credentials, by shape. Run after the caller's own secrets are gone, so that a
// token holding one of the characters that end this pattern is never cut in half by it; an
// already redacted token is left as it is.
const BEARER = /\bBearer\s+(?!\[REDACTED\])[^\s"',;)\]}]+/gi;
const JWT_LIKE = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** The head of a JWT left at the end of text that was cut short. */
const TRAILING_JWT_HEAD = /\beyJ[\w-]*(?:\.[\w-]*)?$/;

/**
 * Removes credentials from text that may reach a client or a log. Made for the secrets of one
 * call (the caller's `Authorization` value and its token).
 *
 * The secrets are found in every form an upstream might echo them in: as they are, JSON-escaped
 * once or twice (`\"`, `\\`, `\/`, `\n`, `\u0022`, either hex case), percent-encoded (UTF-8
 * bytes, either hex case, whatever characters the encoder chose to leave alone) and
 * form-encoded (`+` for a space).
 */
export interface Redactor {
  /**
   * `text` without any of the secrets in any of those forms, nor anything shaped like a bearer
   * token or a JWT, cut to `maxLength` characters; `undefined` when the text cannot be shown at
   * all (it holds a secret too short to cut out, or what is left would spell a secret again).
   */
  scrub(text: string, maxLength?: number): string | undefined;
  /** Whether `text`, or `text` written as a JSON string, shows one of the secrets in any form. */
  reveals(text: string): boolean;
}

/** A redactor for the secrets of one call; empty and missing ones are ignored. */
export function redactorFor(secrets: readonly (string | undefined)[]): Redactor {
  const distinct = [...new Set(secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0))];
  const inline = distinct.filter((secret) => secret.length >= MIN_INLINE_SECRET_LENGTH);
  // The most characters one secret can take once encoded: a character is at most 3 UTF-8 bytes
  // per UTF-16 unit, each `%XX`, and a twice JSON-escaped unit is `\\u0022` (7).
  const longestForm = distinct.reduce((most, secret) => Math.max(most, secret.length * 9), 0);

  const reveals = (text: string): boolean => {
    if (distinct.length === 0) return false;
    const views = viewsOf(text);
    const asJson = JSON.stringify(text);
    return distinct.some((secret) => asJson.includes(secret) || views.some((view) => view.text.includes(secret)));
  };

  return {
    reveals,
    scrub(text: string, maxLength = Infinity): string | undefined {
      // Only the start of a long text can be shown. The window is long enough that a secret
      // starting anywhere in what is shown lies wholly inside it, and scanning no further bounds
      // the work on an upstream text of megabytes.
      const windowLength = Number.isFinite(maxLength) ? maxLength + longestForm : Infinity;
      const cut = text.length > windowLength;
      let clean = cut ? text.slice(0, windowLength) : text;
      if (inline.length > 0) clean = replaceSpans(clean, secretSpans(clean, inline));
      clean = clean.replace(BEARER, `Bearer ${REDACTED}`).replace(JWT_LIKE, REDACTED);
      // The window's end may hold the first part of a secret whose rest was cut off: drop it.
      if (cut) clean = clean.slice(0, Math.max(0, clean.length - longestForm));
      if (clean.length > maxLength) clean = clean.slice(0, maxLength);
      // A JWT the cut went through was not whole, so its shape was not recognised: drop its head.
      if (cut || clean.length === maxLength) clean = clean.replace(TRAILING_JWT_HEAD, REDACTED);
      return reveals(clean) ? undefined : clean;
    },
  };
}

/**
 * Removes bearer tokens, JWTs and each of the given secrets (in every form `Redactor` knows) from
 * text; text that cannot be made clean reads as `[REDACTED]`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  return redactorFor(secrets).scrub(text) ?? REDACTED;
}

/** The token part of an `Authorization` header value (everything after the scheme), for redaction. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^\s*\S+\s+(\S(?:.*\S)?)\s*$/s.exec(authorization);
  return match ? match[1] : authorization.trim() || undefined;
}

/** What must never be shown of a caller's `Authorization` value: the value itself and its token. */
export function credentialSecrets(authorization: string | undefined): string[] {
  if (!authorization) return [];
  const token = tokenOf(authorization);
  return token !== undefined && token !== authorization ? [authorization, token] : [authorization];
}

function replaceSpans(text: string, spans: ReadonlyArray<[number, number]>): string {
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}
