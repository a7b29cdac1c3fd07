import { credentialSecrets, REDACTED, redactorFor, redactSecrets, tokenOf } from '../../src/errors/redact';

describe('redactSecrets', () => {
  test('redacts bearer tokens in any case', () => {
    expect(redactSecrets('sent Authorization: Bearer abc.DEF-123 to the API')).toBe('sent Authorization: Bearer [REDACTED] to the API');
    expect(redactSecrets('header "bearer xyz"')).toBe('header "Bearer [REDACTED]"');
  });

  test('redacts JWT-shaped strings', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redactSecrets(`token=${jwt}, expired`)).toBe('token=[REDACTED], expired');
    expect(redactSecrets('unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toBe('unsigned [REDACTED]');
  });

  test('redacts every occurrence of each given secret verbatim, regex characters included', () => {
    expect(redactSecrets('a.b*c+d and again a.b*c+d', ['a.b*c+d'])).toBe('[REDACTED] and again [REDACTED]');
    expect(redactSecrets('first second', ['absent', 'second'])).toBe('first [REDACTED]');
  });

  test('ignores undefined and empty secrets', () => {
    expect(redactSecrets('a bc def', [undefined, ''])).toBe('a bc def');
    expect(redactSecrets('abcd', ['abcd'])).toBe('[REDACTED]');
  });

  test('text holding a secret shorter than four characters is withheld whole, not cut to pieces', () => {
    expect(redactorFor(['bc']).scrub('a bc def')).toBeUndefined();
    expect(redactorFor(['zz']).scrub('a bc def')).toBe('a bc def');
    expect(redactSecrets('a bc def', ['bc'])).toBe(REDACTED);
  });

  test('the exact secret goes first: a token holding what ends the bearer pattern is removed whole', () => {
    for (const token of ['ab"cd-1234', "ab'cd,ef;gh)ij]kl", 'with spaces in it', 'x}y{z']) {
      const text = `Authorization: Bearer ${token} was refused`;
      expect(redactSecrets(text, [`Bearer ${token}`, token])).toBe(`Authorization: [REDACTED] was refused`);
      expect(redactSecrets(`token ${token} refused`, [token])).toBe('token [REDACTED] refused');
    }
  });

  test('a bearer pattern does not run on into an already redacted token', () => {
    expect(redactSecrets('Bearer s3cr3t!', ['s3cr3t!'])).toBe('Bearer [REDACTED]');
  });

  test.each([
    ['JSON-escaped', (t: string) => JSON.stringify(t).slice(1, -1)],
    [
      'JSON with every character as \\uXXXX',
      (t: string) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    ],
    ['JSON with an escaped slash', (t: string) => t.replace(/\//g, '\\/')],
    ['percent-encoded', encodeURIComponent],
    ['percent-encoded in lower-case hex', (t: string) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ['form-encoded', (t: string) => new URLSearchParams({ t }).toString().slice(2)],
  ])('finds the secret %s', (_name, encode) => {
    const token = 'tok "en"/é ;+%\\x';
    const echoed = encode(token);
    expect(echoed).not.toBe(token);
    expect(redactSecrets(`before ${echoed} after`, [token])).toBe('before [REDACTED] after');
  });

  test('a redaction that would itself spell the secret withholds the text', () => {
    expect(redactorFor(['REDACTED]']).scrub('x REDACTED] y')).toBeUndefined();
    // The secret formed again where the text around it meets the marker.
    expect(redactorFor(['D]xy']).scrub('D]xyxy')).toBeUndefined();
    expect(redactorFor(['D]D]']).scrub('D]D]D] left')).toBeUndefined();
  });

  test('reveals: the secret in the text, or in the text written as JSON', () => {
    const redactor = redactorFor(['a\\"b-cdef']);
    expect(redactor.reveals('x a\\"b-cdef y')).toBe(true);
    expect(redactor.reveals('x a"b-cdef y')).toBe(true);
    expect(redactor.reveals('nothing here')).toBe(false);
  });

  test('cuts to maxLength after redacting: no part of a secret at the cut', () => {
    const token = 'secret-token-0123456789';
    const redactor = redactorFor([token]);
    for (let at = 0; at < 40; at++) {
      const clean = redactor.scrub(`${'x'.repeat(at)}${token}${'y'.repeat(600)}`, 30);
      expect(clean).toBeDefined();
      expect(clean!.length).toBeLessThanOrEqual(30);
      expect(clean).not.toMatch(/sec|ret|012|789/);
    }
  });

  test('a JWT cut at maxLength leaves no head behind', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redactorFor([]).scrub(`${'x'.repeat(20)} ${jwt}`, 30)).toBe(`${'x'.repeat(20)} [REDACTED]`);
  });

  test('a token as long as a header can hold, echoed in every form: scrubbed, quickly', () => {
    const token = 'ab"c'.repeat(4096);
    const text = `token ${token}, as JSON ${JSON.stringify(token)}, as a URL ${encodeURIComponent(token)} and so on`;
    const started = performance.now();
    const clean = redactorFor(credentialSecrets(`Bearer ${token}`)).scrub(text, 500);
    expect(clean).toBe('token [REDACTED], as JSON "[REDACTED]", as a URL [REDACTED] and so on');
    // Orders of magnitude: a search for every overlapping occurrence of this periodic token takes seconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('looks only at the start of a huge text', () => {
    const redactor = redactorFor(['a-b-c-d-e-f']);
    const started = performance.now();
    // Text that makes the JWT pattern backtrack at every dash, 16 MB of it.
    expect(redactor.scrub('eyJ-'.repeat(4_000_000), 500)).toBeDefined();
    expect(redactor.scrub('words '.repeat(3_000_000), 500)).toHaveLength(500);
    // Orders of magnitude: the whole 16 MB would take seconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  describe('the window of a long text (maxLength plus the longest encoded form of a secret)', () => {
    const secret = 'abcdefghij';
    // 9 characters per character of the longest secret: 90 here, so the window is 190 characters.
    const percentEncoded = [...secret].map((character) => `%${character.charCodeAt(0).toString(16)}`).join('');

    test('a secret cut by the window leaves nothing of itself, even when earlier copies shrank the text', () => {
      // Five encoded copies side by side (150 characters) become one [REDACTED]; the secret then starts 5
      // characters before the window's end.
      const text = `${percentEncoded.repeat(5)}${'x'.repeat(35)}${secret}${'y'.repeat(500)}`;
      const clean = redactorFor([secret]).scrub(text, 100);
      expect(clean).toBeDefined();
      expect(clean).not.toMatch(/a|abcde/);
      expect(redactSecrets(text, [secret]).startsWith(clean!)).toBe(true);
    });

    test('what is shown is the window less its last 90 characters, cut to maxLength', () => {
      // The window: 60 x, two encoded copies (61 characters, 21 once redacted), 64 z and the secret's first 5.
      const text = `${'x'.repeat(60)}${percentEncoded} ${percentEncoded}${'z'.repeat(64)}${secret}${'y'.repeat(500)}`;
      expect(redactorFor([secret]).scrub(text, 100)).toBe('x'.repeat(60));
      const long = `${'w'.repeat(300)}${secret}`;
      expect(redactorFor([secret]).scrub(long, 100)).toBe('w'.repeat(100));
      // Inside the window nothing is dropped for a possible cut secret, but the text is still cut to maxLength.
      expect(redactorFor([secret]).scrub('v'.repeat(150), 100)).toBe('v'.repeat(100));
    });

    test('a JWT head at the end of a cut text is dropped, even when a bearer token shortened it under maxLength', () => {
      const text = `Bearer ${'k'.repeat(40)} ${'x'.repeat(44)} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl and more`;
      expect(redactorFor([]).scrub(text, 100)).toBe(`Bearer [REDACTED] ${'x'.repeat(44)} [REDACTED]`);
    });
  });

  test('leaves text without secrets unchanged', () => {
    expect(redactSecrets('Organization was not found')).toBe('Organization was not found');
    expect(redactSecrets('')).toBe('');
  });
});

describe('tokenOf', () => {
  test('answers the credential part of a scheme + token header', () => {
    expect(tokenOf('Bearer abc123')).toBe('abc123');
    expect(tokenOf('  bearer   abc123  ')).toBe('abc123');
  });

  test('answers a bare token as it is', () => {
    expect(tokenOf('abc123')).toBe('abc123');
    expect(tokenOf(' abc123 ')).toBe('abc123');
  });

  test('answers everything after the scheme, spaces included', () => {
    expect(tokenOf('Bearer a b  c')).toBe('a b  c');
    expect(tokenOf('Bearer "quoted, token"')).toBe('"quoted, token"');
  });

  test('answers undefined without a header', () => {
    expect(tokenOf(undefined)).toBeUndefined();
    expect(tokenOf('')).toBeUndefined();
  });
});

describe('credentialSecrets', () => {
  test('the header value and its token', () => {
    expect(credentialSecrets('Bearer abc def')).toEqual(['Bearer abc def', 'abc def']);
    expect(credentialSecrets('abc')).toEqual(['abc']);
    expect(credentialSecrets(undefined)).toEqual([]);
  });
});
