import { secretSpans, viewsOf } from '../../src/errors/decodedViews';

describe('viewsOf', () => {
  test('a text without escapes has only its raw view', () => {
    expect(viewsOf('plain words').map((view) => view.text)).toEqual(['plain words']);
  });

  test('JSON once and twice, percent and form decoding', () => {
    const texts = viewsOf('a\\\\\\"b %22%c3%A9+ \\u00e9').map((view) => view.text);
    expect(texts).toEqual([
      'a\\\\\\"b %22%c3%A9+ \\u00e9',
      'a\\"b %22%c3%A9+ é',
      'a"b %22%c3%A9+ é',
      'a\\\\\\"b "é+ \\u00e9',
      'a\\\\\\"b "é  \\u00e9',
    ]);
  });

  test('each decoded unit maps back to the span it came from', () => {
    const [, percent] = viewsOf('x%F0%9F%98%80y');
    expect(percent.text).toBe('x😀y');
    expect([...percent.starts]).toEqual([0, 1, 1, 13]);
    expect([...percent.ends]).toEqual([1, 13, 13, 14]);
  });

  test('escapes that are not whole or not valid are left as they are', () => {
    expect(viewsOf('\\u12 \\q %2 %zz %C3 %C0%80 100%').map((view) => view.text)).toEqual([
      '\\u12 \\q %2 %zz %C3 %C0%80 100%',
      '\\u12 \\q %2 %zz %C3 %C0%80 100%',
      '\\u12 \\q %2 %zz %C3 %C0%80 100%',
      '\\u12 \\q %2 %zz %C3 %C0%80 100%',
      '\\u12 \\q %2 %zz %C3 %C0%80 100%',
    ]);
  });
});

describe('percent-decoding at the edges of UTF-8', () => {
  const percentEncoded = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
  const percentView = (text: string) => viewsOf(text)[1].text;

  test.each([
    ['U+0080, the first two-byte character (lead 0xC2, continuation 0x80)', '\u0080'],
    ['U+00BF (continuation 0xBF)', '\u00bf'],
    ['U+07FF, the last two-byte character (lead 0xDF)', '\u07ff'],
    ['U+0800, the first three-byte character (lead 0xE0)', '\u0800'],
    ['U+FFFC (lead 0xEF)', '\ufffc'],
    ['U+10000, the first four-byte character (lead 0xF0)', '\u{10000}'],
    ['U+10FFFF, the last character there is (lead 0xF4)', '\u{10ffff}'],
  ])('%s is decoded', (_name, character) => {
    expect(percentView(`<${percentEncoded(character)}>`)).toBe(`<${character}>`);
  });

  test.each([
    ['a lead byte 0xC1 (overlong)', '%C1%BF'],
    ['a lead byte 0xF5 (past U+10FFFF)', '%F5%80%80%80'],
    ['a continuation byte under 0x80', '%C3%7F'],
    ['a continuation byte over 0xBF', '%C3%C0'],
  ])('%s is not decoded as one character', (_name, escaped) => {
    expect([...percentView(escaped)].length).toBeGreaterThan(1);
    expect(percentView(escaped)).not.toContain('\ufffd');
  });
});

describe('secretSpans', () => {
  test('finds the secret in every view, as spans of the original text, merged', () => {
    const text = 'a "x y" b x%20y c x+y d \\"x y\\"';
    expect(secretSpans(text, ['x y']).map(([start, end]) => text.slice(start, end))).toEqual(['x y', 'x%20y', 'x+y', 'x y']);
    expect(secretSpans('ab"cd ab\\"cd', ['b"c'])).toEqual([
      [1, 4],
      [7, 11],
    ]);
  });
});
