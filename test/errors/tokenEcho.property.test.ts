import fc from 'fast-check';
import { errorFromUpstreamResponse } from '../../src/errors/fromUpstreamResponse';
import { GatewayError } from '../../src/errors/gatewayErrors';
import { credentialSecrets } from '../../src/errors/redact';

/*
 * Property: whatever printable token a caller sends, and wherever and however an upstream error
 * body echoes it (raw, after "Bearer ", JSON-escaped, \u-escaped, percent- or form-encoded), no
 * string of the resulting error (its message, upstreamType, upstreamMessage), nor that string as
 * it is written in a JSON response, contains the token.
 *
 * The one exception is a token the gateway's own wording already contains for that status (say
 * "the"): there is nothing of the caller's to leak, so such tokens are left out.
 */

/** Runs per property; PROPERTY_RUNS_SCALE=10 for a long hunt, FC_SEED to replay a reported seed. */
const RUNS = Math.max(1, Math.round(500 * Number(process.env.PROPERTY_RUNS_SCALE ?? '1')));
const SEED = process.env.FC_SEED !== undefined ? { seed: Number(process.env.FC_SEED) } : {};

/** The characters that used to end the bearer pattern early, regex metacharacters, and escapes' own. */
const TRICKY = [...`"',;)]}[{( .*+?^$|\\/%&=#<>\`~!@:`, '\n', '\t', 'é', '€', '😀', '\u00a0'];

const token = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }) },
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join('').trim())
  // A header value cannot hold line breaks, and the gateway trims it.
  .filter((t) => t.length > 0 && !/[\r\n]/.test(t));

/** Python's json.dumps: every non-ASCII character as \uXXXX, lower-case hex. */
function asciiJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ECHOES: Record<string, (t: string) => string> = {
  raw: (t) => t,
  bearer: (t) => `Bearer ${t}`,
  json: (t) => JSON.stringify(t).slice(1, -1),
  jsonHeader: (t) => JSON.stringify({ authorization: `Bearer ${t}` }),
  asciiJson,
  percent: encodeURIComponent,
  percentLower: (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  form: (t) => new URLSearchParams({ t }).toString().slice(2),
};

const echo = fc.constantFrom(...Object.keys(ECHOES));
const around = fc.string({ unit: 'grapheme-ascii', maxLength: 20 });
const status = fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 502, 503);

/** Every string of an error a client sees, and each as it is written in JSON. */
function shownStrings(error: GatewayError): string[] {
  const strings = [error.message, error.extensions.upstreamType, error.extensions.upstreamMessage].filter(
    (value): value is string => typeof value === 'string',
  );
  return strings.flatMap((value) => [value, JSON.stringify(value)]);
}

test('no echo of the caller token survives in any string of the error', () => {
  fc.assert(
    fc.property(
      token,
      status,
      fc.tuple(around, echo, around, echo, around),
      fc.tuple(around, echo, around),
      (secret, code, [before, how, middle, howAgain, after], [typeBefore, typeHow, typeAfter]) => {
        const secrets = credentialSecrets(`Bearer ${secret}`);
        const baseline = errorFromUpstreamResponse({ status: code, body: {}, secrets });
        fc.pre(!shownStrings(baseline).some((shown) => shown.includes(secret)));
        const body = {
          type: `${typeBefore}${ECHOES[typeHow](secret)}${typeAfter}`,
          message: `${before}${ECHOES[how](secret)}${middle}${ECHOES[howAgain](secret)}${after}`,
        };
        const error = errorFromUpstreamResponse({ status: code, body, secrets });
        for (const shown of shownStrings(error)) expect(shown).not.toContain(secret);
      },
    ),
    { numRuns: RUNS, ...SEED },
  );
});

test('text around a token of four characters or more still reaches the client', () => {
  fc.assert(
    fc.property(
      token.filter((t) => t.length >= 4 && !/[a-z]/i.test(t)),
      echo,
      (secret, how) => {
        const body = { type: 'Unauthorized', message: `token ${ECHOES[how](secret)} rejected` };
        const error = errorFromUpstreamResponse({ status: 401, body, secrets: credentialSecrets(`Bearer ${secret}`) });
        expect(error.extensions.upstreamMessage).toMatch(/^token .*\[REDACTED\].* rejected$/s);
      },
    ),
    { numRuns: Math.ceil(RUNS / 5), ...SEED },
  );
});
