import { collectionView } from '../../src/graphql/collectionView';
import { ORG_ROLE_FROM_REST, RESOURCE_ROLE_FROM_REST, SORT_DIRECTION_FROM_REST, SORT_FIELD_FROM_REST } from '../../src/graphql/restEnums';
import type { OrgInviteCollectionDto } from '../../src/contract/types';
import { contractSchemas, firstUpstreamProblem, upstreamBodySchemas } from '../../src/contract/validators';
import { upstreamCollection, upstreamInvite } from '../support/faultUpstream';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('upstreamBodySchemas', () => {
  test('judge as the contract does, on the same bodies', () => {
    const bodies: unknown[] = [upstreamCollection(), { items: 'x' }, { ...upstreamCollection(), sortDirection: 'up' }, { items: [{ role: 'owner' }] }, null, []];
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
  test('says where and what, with the schema\'s words', () => {
    expect(firstUpstreamProblem(upstreamBodySchemas.orgInviteCollection, { items: [upstreamInvite('a@example.com'), { ttl: 'x' }] })).toEqual({
      path: 'items[1].ttl',
      message: 'must be number',
    });
    expect(firstUpstreamProblem(upstreamBodySchemas.orgInviteCollection, upstreamCollection())).toBeUndefined();
  });

  test('does not name a property the upstream made up', () => {
    const problem = firstUpstreamProblem(upstreamBodySchemas.orgInvite, { applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view', 'made-up': 1 }] });
    expect(problem).toEqual({ path: 'applicationRoles[0]', message: 'has a property the contract does not allow' });
  });
});

describe('REST values named like Object.prototype members', () => {
  test.each(PROTOTYPE_NAMES)('%s is no role: the contract refuses it', (name) => {
    expect(upstreamBodySchemas.orgInvite({ ...upstreamInvite('a@example.com'), role: name })).toBe(false);
    expect(upstreamBodySchemas.orgInvite({ ...upstreamInvite('a@example.com'), applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: name }] })).toBe(false);
  });

  test.each(PROTOTYPE_NAMES)('%s maps to no GraphQL enum value', (name) => {
    for (const table of [ORG_ROLE_FROM_REST, RESOURCE_ROLE_FROM_REST, SORT_FIELD_FROM_REST, SORT_DIRECTION_FROM_REST]) expect(table.get(name)).toBeUndefined();
  });

  test.each(PROTOTYPE_NAMES)('%s as an echoed sort field or filter field reads as null', (name) => {
    const body = JSON.parse(JSON.stringify({ ...upstreamCollection(), sortField: name, filterField: name, filter: '*' })) as OrgInviteCollectionDto;
    expect(upstreamBodySchemas.orgInviteCollection(body)).toBe(true);
    const view = collectionView(body, { instanceId: body.instanceId, orgId: body.orgId });
    expect(view).toMatchObject({ sortField: null, filterField: null, filter: '*' });
  });
});
