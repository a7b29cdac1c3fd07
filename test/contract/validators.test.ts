import { collectionView } from '../../src/graphql/collectionView';
import { ORG_ROLE_FROM_REST, RESOURCE_ROLE_FROM_REST, SORT_DIRECTION_FROM_REST, SORT_FIELD_FROM_REST } from '../../src/graphql/restEnums';
import type { OrgInviteCollectionDto } from '../../src/contract/types';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { contractSchemas, firstUpstreamProblem, isDateTime, upstreamBodySchemas } from '../../src/contract/validators';
import { upstreamCollection, upstreamInvite } from '../support/faultUpstream';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('upstreamBodySchemas', () => {
  test('judge as the contract does, on the same bodies', () => {
    const bodies: unknown[] = [
      upstreamCollection(),
      { items: 'x' },
      { ...upstreamCollection(), sortDirection: 'up' },
      { items: [{ role: 'owner' }] },
      null,
      [],
    ];
    for (const body of bodies) expect(upstreamBodySchemas.orgInviteCollection(body)).toBe(contractSchemas.orgInviteCollection(body));
  });

  test('never repair a body: no type coercion, no defaults, no removal of extra properties', () => {
    const body = { ...upstreamCollection(), count: '2', extra: { kept: true } };
    const grant = { resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view', extra: 1 };
    const invite: Record<string, unknown> = { ...upstreamInvite('a@example.com'), applicationRoles: [grant] };
    delete invite.disallowTransfer;
    expect(upstreamBodySchemas.orgInviteCollection(body)).toBe(false);
    expect(body.count).toBe('2');
    expect(upstreamBodySchemas.orgInvite(invite)).toBe(false);
    expect(grant).toHaveProperty('extra', 1);
    expect(invite).not.toHaveProperty('disallowTransfer');
  });

  test('are compiled once, not per body', () => {
    expect(upstreamBodySchemas.orgInviteCollection).toBe(upstreamBodySchemas.orgInviteCollection);
    expect(typeof upstreamBodySchemas.orgInviteCollection.schema).toBe('object');
  });
});

describe('firstUpstreamProblem', () => {
  test("says where and what, with the schema's words", () => {
    expect(
      firstUpstreamProblem(upstreamBodySchemas.orgInviteCollection, { items: [upstreamInvite('a@example.com'), { ttl: 'x' }] }),
    ).toEqual({
      path: 'items[1].ttl',
      message: 'must be number',
    });
    expect(firstUpstreamProblem(upstreamBodySchemas.orgInviteCollection, upstreamCollection())).toBeUndefined();
  });

  test('does not name a property the upstream made up', () => {
    const problem = firstUpstreamProblem(upstreamBodySchemas.orgInvite, {
      applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view', 'made-up': 1 }],
    });
    expect(problem).toEqual({ path: 'applicationRoles[0]', message: 'has a property the contract does not allow' });
  });
});

describe('REST values named like Object.prototype members', () => {
  test.each(PROTOTYPE_NAMES)('%s is no role: the contract refuses it', (name) => {
    expect(upstreamBodySchemas.orgInvite({ ...upstreamInvite('a@example.com'), role: name })).toBe(false);
    expect(
      upstreamBodySchemas.orgInvite({
        ...upstreamInvite('a@example.com'),
        applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: name }],
      }),
    ).toBe(false);
  });

  test.each(PROTOTYPE_NAMES)('%s maps to no GraphQL enum value', (name) => {
    for (const table of [ORG_ROLE_FROM_REST, RESOURCE_ROLE_FROM_REST, SORT_FIELD_FROM_REST, SORT_DIRECTION_FROM_REST])
      expect(table.get(name)).toBeUndefined();
  });

  test.each(PROTOTYPE_NAMES)('%s as an echoed sort field or filter field reads as null', (name) => {
    const body = JSON.parse(
      JSON.stringify({ ...upstreamCollection(), sortField: name, filterField: name, filter: '*' }),
    ) as OrgInviteCollectionDto;
    expect(upstreamBodySchemas.orgInviteCollection(body)).toBe(true);
    const view = collectionView(body, { instanceId: body.instanceId, orgId: body.orgId });
    expect(view).toMatchObject({ sortField: null, filterField: null, filter: '*' });
  });
});

describe('isDateTime', () => {
  const full = (addFormats.get('date-time', 'full') as { validate: (value: string) => boolean }).validate;
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');

  test('answers as ajv-formats does on the common shape, every month end and leap year included', () => {
    for (const year of [1900, 2000, 2023, 2024, 2100, 0]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const time of ['00:00:00Z', '23:59:59.999Z', '12:30:00.1Z']) {
            const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}`;
            expect([text, isDateTime(text)]).toEqual([text, full(text)]);
          }
        }
      }
    }
  });

  test('answers as ajv-formats does on any other date-time-like text', () => {
    const piece = fc.constantFrom(
      '2024',
      '1999',
      '-',
      '02',
      '29',
      '13',
      '00',
      '31',
      'T',
      't',
      ' ',
      ':',
      '23',
      '24',
      '59',
      '60',
      '61',
      '.5',
      'Z',
      'z',
      '+01:00',
      '-23:59',
      '+2400',
      '+01',
      '',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(isDateTime(text)).toBe(full(text));
      }),
      { numRuns: 5_000 },
    );
    for (const text of [
      '2024-02-29T23:59:60Z',
      '2024-02-29t10:00:00z',
      '2024-02-29 10:00:00+01:00',
      '2023-02-29T00:00:00Z',
      '2024-02-29T24:00:00Z',
      '2024-02-29T00:00:00',
    ]) {
      expect([text, isDateTime(text)]).toEqual([text, full(text)]);
    }
  });

  test('is the date-time format upstream bodies are checked with', () => {
    const collection = (inviteDate: string): unknown => ({
      ...upstreamCollection(),
      items: [{ ...upstreamInvite('a@example.com'), inviteDate }],
    });
    expect(upstreamBodySchemas.orgInviteCollection(collection('2024-02-29T00:00:00.000Z'))).toBe(true);
    expect(upstreamBodySchemas.orgInviteCollection(collection('2023-02-29T00:00:00.000Z'))).toBe(false);
  });
});
