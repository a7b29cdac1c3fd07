import type { OrgInviteDto, OrgRoleValue } from '../../src/contract/types';
import { filterInvites, globMatcher, sortInvites } from '../../src/simulator/listing';
import { ids } from './helpers';

function invite(id: string, email: string, role: OrgRoleValue, inviteDate: string): OrgInviteDto {
  return { id: id.padStart(24, '0'), email, role, inviteDate, ttl: 1000, hasExpired: false };
}

const short = (items: readonly OrgInviteDto[]): string[] => ids(items).map((id) => id.replace(/^0+/, ''));

describe('globMatcher', () => {
  test.each([
    ['ada@example.com', 'ada@example.com', true],
    ['ada@example.com', 'ADA@EXAMPLE.COM', true],
    ['ADA@EXAMPLE.COM', 'ada@example.com', true],
    ['ada', 'ada@example.com', false],
    ['example.com', 'ada@example.com', false],
    ['da@example.com', 'ada@example.com', false],
    ['ada@example.co', 'ada@example.com', false],
  ])('a pattern without wildcards matches the whole value only: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test.each([
    ['*', 'anything at all', true],
    ['ada*', 'ada', true],
    ['ada*', 'ada@example.com', true],
    ['*@example.com', 'ada@example.com', true],
    ['*@example.com', 'ada@example.org', false],
    ['a*a*', 'ada@example.com', true],
    ['*x*', 'ada@example.com', true],
    ['*z*', 'ada@example.com', false],
  ])('* is any run of characters, including none: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test.each([
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['ad?', 'ada', true],
    ['ad?', 'ad', false],
    ['ad?', 'adaa', false],
    ['?d?@*', 'ada@example.com', true],
  ])('? is exactly one character: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test.each([
    ['team/*', 'team/ops/eu@example.com', true],
    ['*', 'a/b/c', true],
    ['*/eu@example.com', 'team/ops/eu@example.com', true],
    ['team?ops', 'team/ops', true],
    ['team/ops', 'team/ops', true],
    ['team/ops', 'team-ops', false],
    ['team/ops', 'teamops', false],
  ])('"/" is an ordinary character: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test.each([
    ['a.b', 'axb', false],
    ['a+b@example.com', 'a+b@example.com', true],
    ['a+b@example.com', 'aab@example.com', false],
    ['*', '.hidden', true],
    ['!ada', '!ada', true],
    ['!ada', 'bob', false],
  ])('other characters are literal, "." and "!" included: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test.each([
    ['[ab]*', 'bob', true],
    ['[ab]*', 'carol', false],
    ['{ada,ken}@*', 'ken@example.org', true],
    ['{ada,ken}@*', 'linus@example.org', false],
  ])('classes and braces work as documented: %j vs %j', (pattern, value, expected) => {
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  test('"/" and its look-alike U+2215 are different characters', () => {
    // listing.ts swaps "/" for U+2215 on both sides, so the two become indistinguishable.
    expect(globMatcher('team\u2215ops@example.com')('team/ops@example.com')).toBe(false);
    expect(globMatcher('team/ops@example.com')('team\u2215ops@example.com')).toBe(false);
  });
});

describe('filterInvites', () => {
  const invites = [
    invite('1', 'ada@example.com', 'admin', '2024-01-01T00:00:00.000Z'),
    invite('2', 'ken@example.org', 'view', '2024-01-02T00:00:00.000Z'),
    invite('3', 'Linus@Example.org', 'edit', '2024-01-03T00:00:00.000Z'),
  ];

  test.each([
    [undefined, undefined],
    [undefined, '*.org'],
    ['email', undefined],
    ['email', ''],
  ] as const)('field %j with pattern %j: no filtering, in a new array', (field, pattern) => {
    const result = filterInvites(invites, field, pattern);
    expect(result).toEqual(invites);
    expect(result).not.toBe(invites);
  });

  test('filters on email, case-insensitively, keeping the input order', () => {
    expect(short(filterInvites(invites, 'email', '*@EXAMPLE.ORG'))).toEqual(['2', '3']);
  });

  test('filters on role', () => {
    expect(short(filterInvites(invites, 'role', 'view'))).toEqual(['2']);
    expect(short(filterInvites(invites, 'role', '*i*'))).toEqual(['1', '2', '3']);
    expect(short(filterInvites(invites, 'role', 'ad'))).toEqual([]);
  });

  test('does not modify its input', () => {
    const copy = structuredClone(invites);
    filterInvites(invites, 'email', 'ada*');
    expect(invites).toEqual(copy);
  });
});

describe('sortInvites', () => {
  const invites = [
    invite('3', 'carol@example.com', 'view', '2024-01-02T00:00:00.000Z'),
    invite('1', 'bob@example.com', 'admin', '2024-01-03T00:00:00.000Z'),
    invite('4', 'ada@example.com', 'edit', '2024-01-01T00:00:00.000Z'),
    invite('2', 'dave@example.com', 'collaborate', '2024-01-04T00:00:00.000Z'),
  ];

  test.each([
    ['email', 'asc', ['4', '1', '3', '2']],
    ['email', 'desc', ['2', '3', '1', '4']],
    ['role', 'asc', ['1', '2', '4', '3']],
    ['role', 'desc', ['3', '4', '2', '1']],
    ['inviteDate', 'asc', ['4', '3', '1', '2']],
    ['inviteDate', 'desc', ['2', '1', '3', '4']],
  ] as const)('by %s %s', (field, direction, expected) => {
    expect(short(sortInvites(invites, field, direction))).toEqual(expected);
  });

  test('sorts a copy and leaves the input alone', () => {
    const before = short(invites);
    const sorted = sortInvites(invites, 'email', 'asc');
    expect(sorted).not.toBe(invites);
    expect(short(invites)).toEqual(before);
  });

  test('ties are ordered by id ascending in both directions, whatever the input order', () => {
    const sameDate = '2024-01-01T00:00:00.000Z';
    const tied = [
      invite('c', 'x3@example.com', 'view', sameDate),
      invite('a', 'x1@example.com', 'view', sameDate),
      invite('b', 'x2@example.com', 'admin', sameDate),
      invite('d', 'x4@example.com', 'view', sameDate),
    ];
    expect(short(sortInvites(tied, 'inviteDate', 'asc'))).toEqual(['a', 'b', 'c', 'd']);
    expect(short(sortInvites(tied, 'inviteDate', 'desc'))).toEqual(['a', 'b', 'c', 'd']);
    expect(short(sortInvites(tied, 'role', 'asc'))).toEqual(['b', 'a', 'c', 'd']);
    expect(short(sortInvites(tied, 'role', 'desc'))).toEqual(['a', 'c', 'd', 'b']);
    expect(short(sortInvites([...tied].reverse(), 'role', 'desc'))).toEqual(['a', 'c', 'd', 'b']);
  });

  test('repeated sorts give the same order', () => {
    const first = sortInvites(invites, 'role', 'desc');
    expect(sortInvites(first, 'role', 'desc')).toEqual(first);
    expect(sortInvites(sortInvites(invites, 'email', 'asc'), 'role', 'desc')).toEqual(first);
  });

  test('inviteDate compares instants, not strings', () => {
    const mixed = [
      invite('1', 'a@example.com', 'view', '2024-01-01T10:00:00+02:00'), // 08:00Z
      invite('2', 'b@example.com', 'view', '2024-01-01T09:00:00Z'),
      invite('3', 'c@example.com', 'view', '2024-01-01T08:30:00.000Z'),
      invite('4', 'd@example.com', 'view', '2024-01-01T09:00:00.500Z'),
    ];
    expect(short(sortInvites(mixed, 'inviteDate', 'asc'))).toEqual(['1', '3', '2', '4']);
    expect(short(sortInvites(mixed, 'inviteDate', 'desc'))).toEqual(['4', '2', '3', '1']);
  });

  test('an empty list stays empty', () => {
    expect(sortInvites([], 'email', 'asc')).toEqual([]);
  });
});
