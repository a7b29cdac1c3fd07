import { ROOT_CONTEXT } from '@opentelemetry/api';
import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInviteDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
} from '../../src/contract/types';
import { UpstreamTimeoutError } from '../../src/errors/gatewayErrors';
import { InviteLoader, InviteListKey } from '../../src/loaders/InviteLoader';
import type { CallerCredentials, CallOptions, InviteRef, InvitesApi, OrgRef } from '../../src/rest/invitesApi';

const INSTANCE = '5f1e0a9b2c3d4e5f60718293';
const ORG_A: OrgRef = { instanceId: INSTANCE, orgId: '5f1e0a9b2c3d4e5f60718294' };
const ORG_B: OrgRef = { instanceId: INSTANCE, orgId: '5f1e0a9b2c3d4e5f60718295' };
const ADMIN: CallerCredentials = { authorization: 'Bearer token-one' };

interface ListCall {
  readonly org: OrgRef;
  readonly query: ListInvitesQuery;
  readonly credentials: CallerCredentials;
}

/** Counts calls; each list answer carries a serial number so tests can tell fresh answers from cached ones. */
class CountingApi implements InvitesApi {
  readonly listCalls: ListCall[] = [];
  readonly inviteCalls: Array<{ org: OrgRef; invite: OrgInvitePostDto }> = [];
  listFailure: Error | undefined;
  inviteFailure: Error | undefined;

  async listInvites(org: OrgRef, query: ListInvitesQuery, credentials: CallerCredentials): Promise<OrgInviteCollectionDto> {
    this.listCalls.push({ org, query, credentials });
    if (this.listFailure) throw this.listFailure;
    return { items: [], count: this.listCalls.length, instanceId: org.instanceId, orgId: org.orgId };
  }

  async inviteMember(org: OrgRef, invite: OrgInvitePostDto): Promise<OrgInviteCollectionDto> {
    this.inviteCalls.push({ org, invite });
    if (this.inviteFailure) throw this.inviteFailure;
    return { items: [], count: -1, instanceId: org.instanceId, orgId: org.orgId };
  }

  readonly getCalls: InviteRef[] = [];
  readonly writeCalls: Array<{ action: 'revoke' | 'resend'; invite: InviteRef; roles?: OrgRoleInfoDto }> = [];

  async getInvite(invite: InviteRef): Promise<OrgInviteDto> {
    this.getCalls.push(invite);
    return {
      id: invite.inviteId,
      email: `serial${this.getCalls.length}@example.com`,
      role: 'view',
      inviteDate: '2026-01-01T00:00:00.000Z',
      ttl: 1,
      hasExpired: false,
    };
  }

  async revokeInvite(invite: InviteRef): Promise<SuccessDto> {
    this.writeCalls.push({ action: 'revoke', invite });
    return { success: true };
  }

  async resendInvite(invite: InviteRef, roles: OrgRoleInfoDto): Promise<OrgInviteDto> {
    this.writeCalls.push({ action: 'resend', invite, roles });
    return {
      id: invite.inviteId,
      email: 'resent@example.com',
      role: roles.role ?? 'view',
      inviteDate: '2026-01-02T00:00:00.000Z',
      ttl: 1,
      hasExpired: false,
    };
  }
}

function key(overrides: Partial<InviteListKey> = {}): InviteListKey {
  return { org: ORG_A, query: { sortField: 'inviteDate', sortDirection: 'desc' }, credentials: ADMIN, ...overrides };
}

const INVITE: OrgInvitePostDto = { email: 'ada@example.com', role: 'view' };

let api: CountingApi;
let loader: InviteLoader;

beforeEach(() => {
  api = new CountingApi();
  loader = InviteLoader.forRequest(api);
});

describe('list deduplication', () => {
  test('the same key twice in one tick is one call', async () => {
    const [first, second] = await Promise.all([loader.loadInviteList(key()), loader.loadInviteList(key())]);
    expect(api.listCalls).toHaveLength(1);
    expect(second).toBe(first);
    expect(api.listCalls[0]).toStrictEqual({ org: ORG_A, query: { sortField: 'inviteDate', sortDirection: 'desc' }, credentials: ADMIN });
  });

  test('an equal key loaded later in the operation is answered from the cache', async () => {
    const first = await loader.loadInviteList(key());
    const again = await loader.loadInviteList({
      org: { ...ORG_A },
      query: { sortDirection: 'desc', sortField: 'inviteDate' },
      credentials: { ...ADMIN },
    });
    expect(api.listCalls).toHaveLength(1);
    expect(again).toBe(first);
  });

  test('org ids differing only in case are the same list', async () => {
    await loader.loadInviteList(key());
    await loader.loadInviteList(key({ org: { instanceId: INSTANCE.toUpperCase(), orgId: ORG_A.orgId.toUpperCase() } }));
    expect(api.listCalls).toHaveLength(1);
  });

  test.each<[string, Partial<InviteListKey>]>([
    ['sort field', { query: { sortField: 'email', sortDirection: 'desc' } }],
    ['sort direction', { query: { sortField: 'inviteDate', sortDirection: 'asc' } }],
    ['filter field', { query: { sortField: 'inviteDate', sortDirection: 'desc', filterField: 'role' } }],
    ['filter', { query: { sortField: 'inviteDate', sortDirection: 'desc', filterField: 'email', filter: 'a*' } }],
    ['token', { credentials: { authorization: 'Bearer token-two' } }],
    ['domain', { credentials: { ...ADMIN, losantdomain: 'example.onlosant.com' } }],
    ['org', { org: ORG_B }],
  ])('a different %s is a separate call', async (_name, overrides) => {
    const [base, other] = await Promise.all([loader.loadInviteList(key()), loader.loadInviteList(key(overrides))]);
    expect(api.listCalls).toHaveLength(2);
    expect(other).not.toBe(base);
    expect(api.listCalls[1]).toMatchObject(overrides);
  });

  test('different filters do not collide', async () => {
    const filtered = (filter: string) => key({ query: { filterField: 'email', filter } });
    await Promise.all([
      loader.loadInviteList(filtered('a*')),
      loader.loadInviteList(filtered('b*')),
      loader.loadInviteList(filtered('a*')),
    ]);
    expect(api.listCalls.map((call) => call.query.filter)).toEqual(['a*', 'b*']);
  });

  test('separate loaders (separate requests) do not share a cache', async () => {
    await loader.loadInviteList(key());
    await InviteLoader.forRequest(api).loadInviteList(key());
    expect(api.listCalls).toHaveLength(2);
  });

  test('a failed list rejects with the api error', async () => {
    const failure = new UpstreamTimeoutError('too slow');
    api.listFailure = failure;
    await expect(loader.loadInviteList(key())).rejects.toBe(failure);
  });
});

describe('inviteMember', () => {
  test('goes straight to the api and answers its collection', async () => {
    const result = await loader.createInvite({ org: ORG_A, body: INVITE, credentials: ADMIN });
    expect(result.count).toBe(-1);
    expect(api.inviteCalls).toStrictEqual([{ org: ORG_A, invite: INVITE }]);
  });

  test('is never deduplicated', async () => {
    await Promise.all([
      loader.createInvite({ org: ORG_A, body: INVITE, credentials: ADMIN }),
      loader.createInvite({ org: ORG_A, body: INVITE, credentials: ADMIN }),
    ]);
    expect(api.inviteCalls).toHaveLength(2);
  });

  test("re-fetches every list of the org afterwards, but not another org's", async () => {
    const sortedByEmail = key({ query: { sortField: 'email', sortDirection: 'asc' } });
    const beforeA = await loader.loadInviteList(key());
    const beforeAByEmail = await loader.loadInviteList(sortedByEmail);
    const beforeB = await loader.loadInviteList(key({ org: ORG_B }));
    expect(api.listCalls).toHaveLength(3);

    await loader.createInvite({ org: ORG_A, body: INVITE, credentials: ADMIN });

    const afterA = await loader.loadInviteList(key());
    const afterAByEmail = await loader.loadInviteList(sortedByEmail);
    const afterB = await loader.loadInviteList(key({ org: ORG_B }));
    expect(api.listCalls).toHaveLength(5);
    expect(afterA).not.toBe(beforeA);
    expect(afterAByEmail).not.toBe(beforeAByEmail);
    expect(afterB).toBe(beforeB);
    expect(api.listCalls.slice(3).map((call) => call.org)).toEqual([ORG_A, ORG_A]);
  });

  test("clears the org's lists even when the invite fails", async () => {
    const before = await loader.loadInviteList(key());
    const otherOrg = await loader.loadInviteList(key({ org: ORG_B }));
    const failure = new UpstreamTimeoutError('The upstream did not answer');
    api.inviteFailure = failure;

    await expect(loader.createInvite({ org: ORG_A, body: INVITE, credentials: ADMIN })).rejects.toBe(failure);

    const after = await loader.loadInviteList(key());
    expect(after).not.toBe(before);
    expect(await loader.loadInviteList(key({ org: ORG_B }))).toBe(otherOrg);
    expect(api.listCalls).toHaveLength(3);
  });
});

describe('single invites', () => {
  const INVITE_REF: InviteRef = { ...ORG_A, inviteId: '6a0000000000000000000001' };

  test('the same invite twice is one call; another invite or token is another', async () => {
    const [first, second] = await Promise.all([
      loader.loadInvite({ invite: INVITE_REF, credentials: ADMIN }),
      loader.loadInvite({ invite: INVITE_REF, credentials: ADMIN }),
    ]);
    expect(second).toBe(first);
    await loader.loadInvite({ invite: { ...INVITE_REF, inviteId: '6a0000000000000000000002' }, credentials: ADMIN });
    await loader.loadInvite({ invite: INVITE_REF, credentials: { authorization: 'Bearer token-two' } });
    expect(api.getCalls).toHaveLength(3);
  });

  test.each(['revoke', 'resend'] as const)('%s clears the org’s lists and invites, once, and leaves other orgs cached', async (action) => {
    await loader.loadInviteList(key());
    await loader.loadInviteList(key({ org: ORG_B }));
    await loader.loadInvite({ invite: INVITE_REF, credentials: ADMIN });
    if (action === 'revoke') await loader.deleteInvite({ invite: INVITE_REF, credentials: ADMIN });
    else await loader.reissueInvite({ invite: INVITE_REF, roles: { role: 'edit' }, credentials: ADMIN });
    expect(api.writeCalls).toHaveLength(1);

    await loader.loadInviteList(key());
    await loader.loadInviteList(key({ org: ORG_B }));
    await loader.loadInvite({ invite: INVITE_REF, credentials: ADMIN });
    expect(api.listCalls.filter((call) => call.org === ORG_A)).toHaveLength(2);
    expect(api.listCalls.filter((call) => call.org === ORG_B)).toHaveLength(1);
    expect(api.getCalls).toHaveLength(2);
  });
});

describe('one loader per operation of a batch', () => {
  test('shares the request’s cache, counts only its own calls, and sends its trace with them', async () => {
    const calls: Array<CallOptions | undefined> = [];
    const recording: InvitesApi = Object.assign(new CountingApi(), {
      async listInvites(
        org: OrgRef,
        _query: ListInvitesQuery,
        _credentials: CallerCredentials,
        call?: CallOptions,
      ): Promise<OrgInviteCollectionDto> {
        calls.push(call);
        return { items: [], count: calls.length, instanceId: org.instanceId, orgId: org.orgId };
      },
    });
    const request = InviteLoader.forRequest(recording, { requestId: 'batch-1', deadline: 1_000 });
    const spanContext = ROOT_CONTEXT.setValue(Symbol('operation span'), 'second operation');
    const first = request.forOperation();
    const second = request.forOperation(spanContext);

    await first.loadInviteList(key());
    await second.loadInviteList(key());
    await second.loadInviteList(key({ org: ORG_B }));

    expect([first.callCount, second.callCount, request.callCount]).toEqual([1, 1, 0]);
    expect(calls).toEqual([
      { requestId: 'batch-1', deadline: 1_000, trace: undefined },
      { requestId: 'batch-1', deadline: 1_000, trace: spanContext },
    ]);
  });
});
