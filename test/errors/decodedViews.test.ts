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
