import fc from 'fast-check';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID } from '../../src/simulator/demoData';

/*
 * Generators for the gateway's arguments, as the JSON values a client puts in `variables`.
 * `undefined` means "left out" (JSON.stringify drops it). Values are deliberately untyped
 * (`unknown`): wrong JSON types (numbers for enums, null for required fields) are part of the
 * input space, and the oracle decides what each one should do.
 */

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');

/** A well-formed id that the simulator (almost surely) does not know. */
export const randomHexId = fc.string({ unit: hexChar, minLength: 24, maxLength: 24 });

/** Characters that break an otherwise valid id, including look-alike digits that `\d` might match. */
const BAD_ID_CHARS = [
  'g',
  'G',
  'z',
  ' ',
  '-',
  '_',
  '/',
  '\\',
  '%',
  '.',
  '\u0000',
  '\n',
  'é',
  '\uff10' /* fullwidth 0 */,
  '\u0663' /* arabic-indic 3 */,
  '\ud835\udfd8' /* math double-struck 0 */,
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '\u200b',
  '\ufb00',
];

const SPECIAL_BAD_IDS = [
  '',
  ' ',
  '   ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u200b',
  'null',
  'undefined',
  '0',
  '*',
  '?',
  '[0-9a-f]{24}',
  '{"$ne":null}',
  `${DEMO_INSTANCE_ID}\n`,
  ` ${DEMO_ORG_ID}`,
  `${DEMO_ORG_ID} `,
  `${DEMO_ORG_ID}\u0000`,
  `${DEMO_ORG_ID}?x=1`,
  `${DEMO_ORG_ID}#`,
  '../../../../../../admin1',
  '..%2F..%2F..%2F..%2Fadmin',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2f',
  `${DEMO_ORG_ID}/../..`,
  `../${DEMO_ORG_ID}`,
  '..\\..\\..\\..\\windows',
  '%35f1e0a9b2c3d4e5f6071829',
  '5f1e0a9b2c3d4e5f6071829%34',
  '%00%00%00%00%00%00%00%00',
  '%zz%zz%zz%zz%zz%zz%zz%zz',
  '0x5f1e0a9b2c3d4e5f607182',
  '\uff15f1e0a9b2c3d4e5f60718293',
  '\u0665f1e0a9b2c3d4e5f60718293',
];

/** The hex digits of a valid id, each written as a percent-escape (`%35%66…`). */
const percentEscapedId = randomHexId.map((id) => [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''));

/** Anything but a 24-hex string: wrong length, bad characters, unicode, blanks, escapes, traversal, numbers. */
export const invalidId: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: hexChar, maxLength: 23 }),
  fc.string({ unit: hexChar, minLength: 25, maxLength: 48 }),
  fc
    .tuple(randomHexId, fc.nat({ max: 23 }), fc.constantFrom(...BAD_ID_CHARS))
    .map(([id, at, bad]) => `${id.slice(0, at)}${bad}${id.slice(at + 1)}`),
  fc.constantFrom(...SPECIAL_BAD_IDS),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  percentEscapedId,
  fc.string({ unit: hexChar, minLength: 1000, maxLength: 1100 }),
  // `ID` accepts integers and reads them as strings, which are never 24 hex digits here.
  fc.integer(),
);

const upper = (id: string): string => id.toUpperCase();

/** Valid instance ids: mostly the demo instance (in either case, the store is case-insensitive). */
export const validInstanceId = fc.oneof(
  { weight: 6, arbitrary: fc.constant(DEMO_INSTANCE_ID) },
  { weight: 1, arbitrary: fc.constant(upper(DEMO_INSTANCE_ID)) },
  { weight: 2, arbitrary: randomHexId },
);

/** Valid org ids: mostly the three demo orgs. */
export const validOrgId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID) },
  { weight: 1, arbitrary: fc.constantFrom(DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID).map(upper) },
  { weight: 2, arbitrary: randomHexId },
);

/** An id argument: valid four times out of five. */
export function idArgument(valid: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: invalidId });
}

// ---------------------------------------------------------------------------------------------
// losantdomain
// ---------------------------------------------------------------------------------------------

const printableAscii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

export const domainArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.domain() },
  { weight: 1, arbitrary: fc.string({ unit: printableAscii, maxLength: 40 }) },
  // Around the 253-character limit.
  { weight: 2, arbitrary: fc.string({ unit: printableAscii, minLength: 251, maxLength: 255 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'example.com ',
      ' example.com',
      'evil.com\r\nX-Injected: 1',
      'tab\there.com',
      'naïve.com',
      'xn--nave-6pa.com',
      'ex ample.com',
      '\x7f',
      'a\u0000b',
      'localhost:4000',
      'münchen.de',
      '\ud83d\ude00.com',
      '\ud800.com',
      'a'.repeat(253),
      'a'.repeat(254),
      'a'.repeat(2000),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(1, true, ['example.com']) },
);

// ---------------------------------------------------------------------------------------------
// Sorting and filtering
// ---------------------------------------------------------------------------------------------

export const SORT_FIELDS = ['EMAIL', 'ROLE', 'INVITE_DATE'] as const;
export const SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export const FILTER_FIELDS = ['EMAIL', 'ROLE'] as const;
export const ORG_ROLES = ['ADMIN', 'EDIT', 'COLLABORATE', 'VIEW', 'NONE'] as const;
export const RESOURCE_ROLES = ['COLLABORATE', 'VIEW', 'NONE'] as const;

/** Strings (and other JSON values) that are not a given enum's value names. */
function notAnEnumValue(lookAlikes: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...lookAlikes, '', ' ', '\u0000', 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 1, true, false, [], {}, 1.5) },
  );
}

/** Every enum value, some invalid strings, and (rarely) an explicit null for the defaulted argument. */
function enumArgument(values: readonly string[], lookAlikes: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 16, arbitrary: fc.constantFrom(...values) },
    { weight: 2, arbitrary: notAnEnumValue(lookAlikes) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

export const sortFieldArgument = enumArgument(SORT_FIELDS, [
  'email',
  'role',
  'inviteDate',
  'INVITEDATE',
  'invite_date',
  ' EMAIL',
  'EMAIL ',
  'DESC',
  '\u0415MAIL' /* Cyrillic Е */,
  'ID',
]);
export const sortDirectionArgument = enumArgument(SORT_DIRECTIONS, ['asc', 'desc', 'Asc', 'UP', 'DOWN', 'ASC ', 'DESCENDING', 'EMAIL']);
export const filterFieldArgument = enumArgument(FILTER_FIELDS, [
  'email',
  'role',
  'Email',
  ' EMAIL',
  'EMAIL\n',
  'INVITE_DATE',
  'NAME',
  'ADMIN',
]);

/** Pieces of glob patterns: wildcards, classes, braces, extglobs, escapes, slashes, unicode, control characters. */
const GLOB_TOKENS = [
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  ',',
  '/',
  '\\',
  '!',
  '(',
  ')',
  '+',
  '@',
  '.',
  '-',
  '^',
  '$',
  '|',
  '#',
  '%',
  '%2F',
  '%41',
  '..',
  '**',
  '[a-z]',
  '[!a]',
  '[^@]',
  '{a,b}',
  '{1..3}',
  '!(a)',
  '@(x|y)',
  '+(a)',
  'a',
  'e',
  'x',
  'ada',
  'example',
  'com',
  'org',
  'EDIT',
  'view',
  'é',
  'ß',
  'İ',
  '\ud83d\ude00',
  '\u0000',
  '\ud800',
  ' ',
  '\t',
  '\n',
  '&',
  '=',
  ';',
  '"',
  "'",
  '<',
  '>',
  '~',
  '\ue000',
  '\ue001',
];
const globPattern = fc.array(fc.constantFrom(...GLOB_TOKENS), { maxLength: 30 }).map((tokens) => tokens.join(''));

/** Single code points for long patterns; two are astral (two UTF-16 units each). */
const longPatternUnit = fc.constantFrom('a', '*', '?', '[', '{', '/', 'é', '.', '\ud83d\ude00', '\ud835\udd38');

export const filterArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '  \n ') },
  { weight: 5, arbitrary: globPattern },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // Around the 1024 limit, in code points; with astral characters the UTF-16 length is larger.
  { weight: 2, arbitrary: fc.string({ unit: longPatternUnit, minLength: 1015, maxLength: 1035 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', '*', '?', 'é'), minLength: 1020, maxLength: 1030 }) },
  { weight: 1, arbitrary: fc.string({ unit: longPatternUnit, minLength: 1100, maxLength: 4000 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(1, true, ['*'], {}) },
);

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

export type TokenChoice = 'admin' | 'readOnly' | 'noInvites' | 'garbage' | 'none';

export const tokenChoice: fc.Arbitrary<TokenChoice> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<TokenChoice>('admin') },
  { weight: 1, arbitrary: fc.constant<TokenChoice>('readOnly') },
  { weight: 1, arbitrary: fc.constant<TokenChoice>('noInvites') },
  { weight: 1, arbitrary: fc.constant<TokenChoice>('garbage') },
  { weight: 1, arbitrary: fc.constant<TokenChoice>('none') },
);

// ---------------------------------------------------------------------------------------------
// Invite bodies
// ---------------------------------------------------------------------------------------------

/** Emails: RFC-ish random ones, pending and expired demo emails (duplicates), the 1024 boundary, unicode, malformed. */
export const emailArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.emailAddress() },
  {
    weight: 1,
    arbitrary: fc.constantFrom('ada@example.com', 'ADA@Example.COM', 'alan@example.net', 'barbara@example.com', 'dennis@example.org'),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1010, max: 1035 }).map((length) => `${'a'.repeat(length - '@example.com'.length)}@example.com`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1010, max: 1035 }).map((length) => `x@${'b'.repeat(length - 6)}.com`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'ü@example.com',
      'user@exämple.com',
      '用户@例子.广告',
      '\ud83d\ude00@example.com',
      'a@b.c',
      'a@b',
      'a@-b.com',
      'a@b-.com',
      '.a@b.com',
      'a.@b.com',
      'a..b@c.com',
      'a@b..com',
      '"quoted"@example.com',
      'a b@c.com',
      'a@b.com ',
      ' a@b.com',
      'a@b.com\n',
      '@example.com',
      'a@',
      '',
      '  ',
      'A@B.CO',
      'x@y.z1',
      'a@@b.com',
      'a@b@c.com',
      "o'brien@example.ie",
      'a+tag@example.com',
      'a@[127.0.0.1]',
      'a@b.com\u0000',
      'a%40b.com',
      'a@b.com/../x',
      'a@xn--bcher-kva.example',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1020, maxLength: 2000 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 1, true, ['a@b.com']) },
);

export const orgRoleArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 48, arbitrary: fc.constantFrom(...ORG_ROLES) },
  { weight: 1, arbitrary: notAnEnumValue(['OWNER', 'admin', 'Admin', 'VIEW ', 'READ']) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null) },
);

const resourceRoleArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RESOURCE_ROLES) },
  { weight: 1, arbitrary: notAnEnumValue(['ADMIN', 'EDIT', 'view', 'OWNER', ' VIEW']) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined) },
);

/**
 * A role list of 0..120 grants. Each list either has only valid roles (usually) or some invalid
 * ones, either only valid resource ids or some invalid ones, and rarely a grant with a property
 * the input type does not define (or a null grant), so that whole lists are often valid while
 * each kind of problem still turns up.
 */
export const grantListArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 8,
    arbitrary: fc
      .record({
        length: fc.oneof(
          { weight: 4, arbitrary: fc.nat({ max: 5 }) },
          { weight: 2, arbitrary: fc.integer({ min: 95, max: 105 }) },
          { weight: 2, arbitrary: fc.integer({ min: 0, max: 120 }) },
        ),
        idsValid: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        rolesValid: fc.oneof({ weight: 20, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        oddGrant: fc.oneof(
          { weight: 40, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom<unknown>({ extra: 1 }, { resourceId: null }, { role: undefined }, null) },
        ),
        oddAt: fc.nat(),
      })
      .chain(({ length, idsValid, rolesValid, oddGrant, oddAt }) =>
        fc
          .array(
            fc.record({
              resourceId: idsValid ? randomHexId : fc.oneof({ weight: 3, arbitrary: randomHexId }, { weight: 1, arbitrary: invalidId }),
              role: rolesValid ? fc.constantFrom<unknown>(...RESOURCE_ROLES) : resourceRoleArgument,
            }),
            { minLength: length, maxLength: length },
          )
          .map((grants): unknown[] => {
            if (oddGrant === undefined || grants.length === 0) return grants;
            const at = oddAt % grants.length;
            const odd = oddGrant === null ? null : { ...grants[at], ...oddGrant };
            return [...grants.slice(0, at), odd, ...grants.slice(at + 1)];
          }),
      ),
  },
);

const disallowTransferArgument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('true', 1, 0, 'yes', []) },
);

/** Drops `undefined` members, so that "left out" is really left out of the object. */
function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The `invite` argument of `inviteMember`: usually an object, rarely one with an undefined field or not an object. */
export const inviteArgument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 80,
    arbitrary: fc
      .record({
        email: emailArgument,
        role: orgRoleArgument,
        applicationRoles: grantListArgument,
        dashboardRoles: grantListArgument,
        disallowTransfer: disallowTransferArgument,
      })
      .map(compact),
  },
  { weight: 1, arbitrary: fc.record({ email: fc.emailAddress(), role: fc.constantFrom(...ORG_ROLES), Email: fc.constant('x@y.com') }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'ada@example.com', [], 1) },
);

/** The `roles` argument of `resendInvite` (every field optional). */
export const rolesArgument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 80,
    arbitrary: fc
      .record({
        role: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: orgRoleArgument }),
        applicationRoles: grantListArgument,
        dashboardRoles: grantListArgument,
      })
      .map(compact),
  },
  { weight: 1, arbitrary: fc.record({ role: fc.constantFrom(...ORG_ROLES), email: fc.constant('x@y.com') }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'VIEW', [], 1) },
);

/** The invite a revoke or resend targets: a fresh one the test adds first (maybe in upper case), or a literal id. */
export type InviteTarget = { readonly fresh: true; readonly upperCase: boolean } | { readonly fresh: false; readonly id: unknown };

export const inviteTarget: fc.Arbitrary<InviteTarget> = fc.oneof(
  { weight: 5, arbitrary: fc.boolean().map((upperCase): InviteTarget => ({ fresh: true, upperCase })) },
  { weight: 2, arbitrary: randomHexId.map((id): InviteTarget => ({ fresh: false, id })) },
  { weight: 2, arbitrary: invalidId.map((id): InviteTarget => ({ fresh: false, id })) },
);
