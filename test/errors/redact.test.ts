import { redactSecrets, tokenOf } from '../../src/errors/redact';

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

  test('ignores undefined, empty and very short secrets', () => {
    expect(redactSecrets('a bc def', [undefined, '', 'a', 'bc', 'def'])).toBe('a bc def');
    expect(redactSecrets('abcd', ['abcd'])).toBe('[REDACTED]');
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

  test('answers undefined without a header', () => {
    expect(tokenOf(undefined)).toBeUndefined();
    expect(tokenOf('')).toBeUndefined();
  });
});
