import { validationFingerprint, ValidationSettings } from '../../src/limits/validationFingerprint';

/** The key of a shared document: replicas agree on it exactly when their validation rules agree. */

const production: ValidationSettings = { introspection: false, maxTokens: 1_000, maxDepth: 15, maxAliases: 30, maxDirectives: 50 };

test('is the same for the same settings', () => {
  expect(validationFingerprint({ ...production })).toBe(validationFingerprint(production));
});

test.each<[string, Partial<ValidationSettings>]>([
  ['introspection', { introspection: true }],
  ['the token cap', { maxTokens: 20_000 }],
  ['the depth limit', { maxDepth: 16 }],
  ['the alias limit', { maxAliases: 5_000 }],
  ['the directive limit', { maxDirectives: 51 }],
])('changes with %s', (_name, change) => {
  expect(validationFingerprint({ ...production, ...change })).not.toBe(validationFingerprint(production));
});
