import type { OrgInviteCollectionDto, OrgInviteDto } from '../../src/contract/types';
import { collectionView, inviteView } from '../../src/graphql/collectionView';

const ORG = { instanceId: '5f1e0a9b2c3d4e5f60718293', orgId: '5f1e0a9b2c3d4e5f60718294' };

function invite(overrides: Partial<OrgInviteDto> = {}): OrgInviteDto {
  return {
    id: '6a0000000000000000000001',
    email: 'ada@example.com',
    role: 'admin',
    inviteDate: '2024-05-01T12:00:00.000Z',
    ttl: 604800000,
    hasExpired: false,
    ...overrides,
  };
}

function collection(overrides: Partial<OrgInviteCollectionDto> = {}): OrgInviteCollectionDto {
  return { items: [invite()], count: 1, ...ORG, sortField: 'inviteDate', sortDirection: 'desc', ...overrides };
}

describe('inviteView', () => {
  test('absent role lists read as empty and absent disallowTransfer as false', () => {
    expect(inviteView(invite(), ORG)).toMatchObject({ applicationRoles: [], dashboardRoles: [], disallowTransfer: false });
  });

  test('null values read the same as absent ones', () => {
    const view = inviteView(
      invite({ applicationRoles: null, dashboardRoles: null, disallowTransfer: null } as unknown as Partial<OrgInviteDto>),
      ORG,
    );
    expect(view).toMatchObject({ applicationRoles: [], dashboardRoles: [], disallowTransfer: false });
  });

  test('keeps the values the upstream sent, with REST enum strings as GraphQL enum values', () => {
    const grants = [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view' as const }];
    const dto = invite({ applicationRoles: grants, dashboardRoles: grants, disallowTransfer: true, hasExpired: true });
    const viewGrants = [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'VIEW' }];
    expect(inviteView(dto, ORG)).toStrictEqual({
      ...dto,
      ...ORG,
      role: 'ADMIN',
      applicationRoles: viewGrants,
      dashboardRoles: viewGrants,
      disallowTransfer: true,
    });
  });

  test('passes a role it does not know through unchanged, for GraphQL to report', () => {
    expect(inviteView(invite({ role: 'owner' as OrgInviteDto['role'] }), ORG).role).toBe('owner');
  });

  test('does not modify the upstream object', () => {
    const dto = invite();
    const copy = JSON.parse(JSON.stringify(dto)) as OrgInviteDto;
    inviteView(dto, ORG);
    expect(dto).toStrictEqual(copy);
  });
});

describe('collectionView', () => {
  test('maps a full collection', () => {
    const view = collectionView(collection({ filterField: 'email', filter: '*@example.com' }), ORG);
    expect(view).toStrictEqual({
      items: [inviteView(invite(), ORG)],
      count: 1,
      ...ORG,
      sortField: 'INVITE_DATE',
      sortDirection: 'DESC',
      filterField: 'EMAIL',
      filter: '*@example.com',
    });
  });

  test('ignores properties it does not know', () => {
    const dto = { ...collection(), _links: { self: {} }, _type: 'orgInvites' } as OrgInviteCollectionDto;
    const view = collectionView(dto, ORG);
    expect(view).not.toHaveProperty('_links');
    expect(view).not.toHaveProperty('_type');
  });

  test('count falls back to the number of items, ids to the ones asked for', () => {
    const dto = { items: [invite(), invite({ id: '6a0000000000000000000002' })] } as unknown as OrgInviteCollectionDto;
    const view = collectionView(dto, ORG);
    expect(view.count).toBe(2);
    expect(view.instanceId).toBe(ORG.instanceId);
    expect(view.orgId).toBe(ORG.orgId);
  });

  test('keeps the upstream count even when it differs from the items (paging)', () => {
    expect(collectionView(collection({ count: 40 }), ORG).count).toBe(40);
    expect(collectionView(collection({ count: 0, items: [invite()] }), ORG).count).toBe(0);
  });

  test('blank echoes read as null', () => {
    const view = collectionView(collection({ sortField: '', sortDirection: '', filterField: '', filter: '' }), ORG);
    expect(view).toMatchObject({ sortField: null, sortDirection: null, filterField: null, filter: null });
  });

  test('absent echoes read as null', () => {
    const view = collectionView({ items: [], count: 0, ...ORG }, ORG);
    expect(view).toMatchObject({ sortField: null, sortDirection: null, filterField: null, filter: null });
  });

  test('upper-case sort directions are normalized', () => {
    expect(collectionView(collection({ sortDirection: 'DESC' }), ORG).sortDirection).toBe('DESC');
    expect(collectionView(collection({ sortDirection: 'ASC' }), ORG).sortDirection).toBe('ASC');
  });

  test('values the gateway does not know read as null', () => {
    const view = collectionView(collection({ sortField: 'lastUpdated', sortDirection: 'sideways', filterField: 'name' }), ORG);
    expect(view).toMatchObject({ sortField: null, sortDirection: null, filterField: null });
  });

  test('every item gets the invite defaults', () => {
    const view = collectionView(collection({ items: [invite(), invite({ disallowTransfer: true })] }), ORG);
    expect(view.items.map((item) => item.disallowTransfer)).toEqual([false, true]);
    expect(view.items.every((item) => Array.isArray(item.applicationRoles) && Array.isArray(item.dashboardRoles))).toBe(true);
  });
});
