import { BadUserInputError } from '../../src/errors/gatewayErrors';
import { contractSchemas } from '../../src/contract/validators';
import {
  MAX_DOMAIN_LENGTH,
  MAX_FILTER_LENGTH,
  assertDomain,
  assertFilterArguments,
  assertInviteBody,
  assertMatchesContract,
  assertObjectId,
  assertRoleInfoBody,
  isBlankFilter,
} from '../../src/validation/inputValidation';
import type { OrgInvitePostDto } from '../../src/contract/types';

import { thrownBy } from '../support/thrown';

const APP_ID = '5f1e0a9b2c3d4e5f607182a1';

const thrown = (action: () => void): BadUserInputError => thrownBy(action, BadUserInputError);

describe('assertObjectId', () => {
  test.each(['5f1e0a9b2c3d4e5f60718293', 'ABCDEF0123456789abcdef01'])('accepts %s', (id) => {
    expect(() => assertObjectId(id, 'orgId')).not.toThrow();
  });

  test.each([
    '',
    '5f1e0a9b2c3d4e5f6071829',
    '5f1e0a9b2c3d4e5f607182930',
    'gggggggggggggggggggggggg',
    '5f1e0a9b2c3d4e5f6071829 ',
    '../../../../../../admin1',
  ])('refuses %j naming the argument', (id) => {
    const error = thrown(() => assertObjectId(id, 'instanceId'));
    expect(error.argumentPath).toBe('instanceId');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'instanceId' });
    expect(error.message).toContain('instanceId must be 24 hexadecimal characters');
  });

  test('truncates long values in the message', () => {
    const error = thrown(() => assertObjectId('x'.repeat(10_000), 'orgId'));
    expect(error.message.length).toBeLessThan(120);
    expect(error.message).toContain('…');
  });

  test('quotes a value of 40 characters whole, and cuts one of 41 to 40', () => {
    expect(thrown(() => assertObjectId('y'.repeat(40), 'orgId')).message).toBe(
      `orgId must be 24 hexadecimal characters, got "${'y'.repeat(40)}"`,
    );
    expect(thrown(() => assertObjectId('y'.repeat(41), 'orgId')).message).toBe(
      `orgId must be 24 hexadecimal characters, got "${'y'.repeat(40)}…"`,
    );
  });
});

describe('assertFilterArguments', () => {
  test.each([
    [undefined, undefined],
    [null, null],
    ['email', '*@example.com'],
    ['role', undefined],
    [null, ''],
    [undefined, null],
    ['email', 'x'.repeat(MAX_FILTER_LENGTH)],
  ])('accepts filterField=%j filter=%j', (filterField, filter) => {
    expect(() => assertFilterArguments(filterField, filter)).not.toThrow();
  });

  test('a non-blank filter needs filterField', () => {
    for (const filterField of [undefined, null]) {
      const error = thrown(() => assertFilterArguments(filterField, 'ada*'));
      expect(error.argumentPath).toBe('filter');
      expect(error.message).toContain('filterField');
    }
  });

  test('a filter of only whitespace is blank: no filterField needed', () => {
    expect(isBlankFilter(' \t ')).toBe(true);
    expect(isBlankFilter(' a ')).toBe(false);
    expect(() => assertFilterArguments(null, '   ')).not.toThrow();
  });

  test('refuses a filter longer than the limit', () => {
    const error = thrown(() => assertFilterArguments('email', 'x'.repeat(MAX_FILTER_LENGTH + 1)));
    expect(error.argumentPath).toBe('filter');
    expect(error.message).toContain(String(MAX_FILTER_LENGTH));
  });
});

describe('assertDomain', () => {
  test.each([undefined, null, 'example.onlosant.com', 'a'.repeat(MAX_DOMAIN_LENGTH)])('accepts %j', (domain) => {
    expect(() => assertDomain(domain)).not.toThrow();
  });

  test.each(['a'.repeat(MAX_DOMAIN_LENGTH + 1), 'evil.com\r\nX-Injected: 1', 'with space.com', 'tab\there', 'naïve.com'])(
    'refuses %j',
    (domain) => {
      expect(thrown(() => assertDomain(domain)).argumentPath).toBe('losantdomain');
    },
  );

  test('the message names where the value came from: the argument, or the header it was read from', () => {
    expect(thrown(() => assertDomain('with space.com')).message).toBe(
      `losantdomain must be a host name of at most ${MAX_DOMAIN_LENGTH} printable characters`,
    );
    expect(thrown(() => assertDomain('with space.com', 'the losantdomain header')).message).toBe(
      `the losantdomain header must be a host name of at most ${MAX_DOMAIN_LENGTH} printable characters`,
    );
  });
});

describe('assertRoleInfoBody', () => {
  test("refuses a body the contract's orgRoleInfo schema refuses, naming the argument", () => {
    const error = thrown(() => assertRoleInfoBody({ role: 'superuser' } as never, 'roles'));
    expect(error.argumentPath).toMatch(/^roles/);
    expect(() => assertRoleInfoBody({ role: 'view' }, 'roles')).not.toThrow();
  });
});

describe('assertInviteBody', () => {
  test('accepts a minimal and a full body', () => {
    expect(() => assertInviteBody({ email: 'ada@example.com', role: 'admin' }, 'invite')).not.toThrow();
    expect(() =>
      assertInviteBody(
        {
          email: 'ada@example.com',
          role: 'none',
          applicationRoles: [{ resourceId: APP_ID, role: 'collaborate' }],
          dashboardRoles: [],
          disallowTransfer: false,
        },
        'invite',
      ),
    ).not.toThrow();
  });

  test.each([
    ['an invalid email', { email: 'not-an-email', role: 'view' }, 'invite.email', 'invite.email must be a valid email'],
    ['a missing role', { email: 'ada@example.com' }, 'invite.role', 'invite.role is required'],
    [
      'an unknown role',
      { email: 'ada@example.com', role: 'owner' },
      'invite.role',
      'invite.role must be one of admin, edit, collaborate, view, none',
    ],
    [
      'a bad resource id',
      {
        email: 'ada@example.com',
        role: 'view',
        applicationRoles: [
          { resourceId: APP_ID, role: 'view' },
          { resourceId: APP_ID, role: 'view' },
          { resourceId: 'nope', role: 'view' },
        ],
      },
      'invite.applicationRoles[2].resourceId',
      'invite.applicationRoles[2].resourceId must be 24 hexadecimal characters',
    ],
    [
      'an admin role on a dashboard',
      { email: 'ada@example.com', role: 'view', dashboardRoles: [{ resourceId: APP_ID, role: 'admin' }] },
      'invite.dashboardRoles[0].role',
      'invite.dashboardRoles[0].role must be one of collaborate, view, none',
    ],
    ['an unknown property', { email: 'ada@example.com', role: 'view', extra: 1 }, 'invite.extra', 'invite.extra is not allowed'],
    [
      'too many grants',
      {
        email: 'ada@example.com',
        role: 'view',
        applicationRoles: Array.from({ length: 101 }, () => ({ resourceId: APP_ID, role: 'view' })),
      },
      'invite.applicationRoles',
      'invite.applicationRoles must have at most 100 items',
    ],
  ])('refuses %s with the argument path', (_name, body, path, message) => {
    const error = thrown(() => assertInviteBody(body as unknown as OrgInvitePostDto, 'invite'));
    expect(error.argumentPath).toBe(path);
    expect(error.extensions.argumentPath).toBe(path);
    expect(error.message).toBe(message);
    expect(error.extensions.problems).toEqual(expect.arrayContaining([{ path, message: message.slice(path.length + 1) }]));
  });

  test('refuses an email longer than 1024 characters', () => {
    const email = `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(1000)}.com`;
    const error = thrown(() => assertInviteBody({ email, role: 'view' }, 'invite'));
    expect(error.argumentPath).toBe('invite.email');
  });

  test('lists every problem in extensions.problems', () => {
    const error = thrown(() => assertInviteBody({ email: 'bad', role: 'boss', x: 1 } as unknown as OrgInvitePostDto, 'invite'));
    const problems = error.extensions.problems as Array<{ path: string; message: string }>;
    expect(problems.map((p) => p.path).sort()).toEqual(['invite.email', 'invite.role', 'invite.x']);
    expect(problems[0].path).toBe(error.argumentPath);
  });

  test('a body that is not an object is reported at the argument itself', () => {
    const error = thrown(() => assertMatchesContract(contractSchemas.orgInvitePost, 'text', 'invite'));
    expect(error.argumentPath).toBe('invite');
  });
});
