/**
 * Property-based tests of the gateway's inputs, over real HTTP against one stack (gateway and
 * simulator in this process). Every generated request must keep the invariants checked by
 * `exchange` (no 5xx, a JSON envelope, only ErrorCode codes) and leave the gateway serving; on top
 * of that, `oracle.ts` says from the documented rules whether the input is locally invalid (then
 * BAD_USER_INPUT with an argumentPath and no upstream call) or valid (then exactly one upstream
 * call, as documented, and data or a typed upstream error).
 *
 * The last block keeps the minimal inputs with which these properties once found defects.
 */
import fc from 'fast-check';
import type { OrgInviteDto } from '../../src/contract/types';
import type { CollectionView } from '../support/operations';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, startStack, TestStack } from '../support/stack';
import {
  domainArgument,
  filterArgument,
  filterFieldArgument,
  idArgument,
  inviteArgument,
  InviteTarget,
  inviteTarget,
  rolesArgument,
  sortDirectionArgument,
  sortFieldArgument,
  TokenChoice,
  tokenChoice,
  validInstanceId,
  validOrgId,
} from './arbitraries';
import { assertStillServing, authorizationFor, codesOf, Exchange, exchange, fail } from './harness';
import {
  characters,
  coerce,
  domainStage,
  FAIL,
  filterStage,
  firstFailing,
  Grant,
  idStages,
  InviteInput,
  inviteBodyStage,
  isObjectId,
  MAX_LISTED_PROBLEMS,
  MAX_VARIABLE_ERRORS,
  Problems,
  RolesInput,
  rolesBodyStage,
  Verdict,
  wellFormed,
} from './oracle';

/** Runs per property; PROPERTY_RUNS_SCALE=0.1 for a quick pass, 5 for a long one. FC_SEED replays a reported seed. */
const SCALE = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const SEED = process.env.FC_SEED !== undefined ? { seed: Number(process.env.FC_SEED) } : {};

jest.setTimeout(120_000);

let stack: TestStack;
/** Invite ids each demo org holds at the start; mutations' leftovers are removed after every run. */
const seedIds = new Map<string, ReadonlySet<string>>();
const DEMO_ORGS = [DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_EMPTY_ORG_ID];
/** For the summary: how many runs ended in each kind of verdict, and how often each known defect was hit. */
const tally = new Map<string, number>();
const count = (key: string): void => {
  tally.set(key, (tally.get(key) ?? 0) + 1);
};

beforeAll(async () => {
  // The oracle checks that even a token the upstream does not know is forwarded verbatim.
  stack = await startStack({ simulator: { recordUnknownCredentials: true } });
  for (const orgId of DEMO_ORGS) seedIds.set(orgId, new Set(stack.simulator.store.invites(DEMO_INSTANCE_ID, orgId)!.map((i) => i.id)));
});

afterAll(async () => {
  await stack?.close();
  console.log(`property runs by outcome: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`);
});

/** Removes every invite a mutation run added (and checks none of the seed went missing). */
function restoreSeed(): void {
  for (const orgId of DEMO_ORGS) {
    const seed = seedIds.get(orgId)!;
    const now = stack.simulator.store.invites(DEMO_INSTANCE_ID, orgId)!;
    for (const invite of now) if (!seed.has(invite.id)) stack.simulator.store.remove(DEMO_INSTANCE_ID, orgId, invite.id);
    if (now.filter((invite) => seed.has(invite.id)).length !== seed.size) throw new Error(`a seed invite of ${orgId} went missing`);
  }
}

// -----------------------------------------------------------------------------------------------
// Expectations shared by every operation
// -----------------------------------------------------------------------------------------------

/**
 * No data for what failed: `data` is absent (the variables did not coerce), or every error names a
 * field under `field` that is null (fields that can fail on their own are nullable, so the null
 * stays there: `orgInvites`, or `instanceOrg.invites` while `instanceOrg` keeps its ids).
 */
function dataIsNull(result: Exchange, field: string): boolean {
  const data = result.body.data;
  if (data === null || data === undefined) return true;
  return (result.body.errors ?? []).every((error) => {
    const path = error.path ?? [];
    if (path[0] !== field) return false;
    let value: unknown = data;
    for (const key of path) {
      if (value === null || typeof value !== 'object') break;
      value = (value as Record<string, unknown>)[key];
    }
    return value === null;
  });
}

/** Locally invalid input: BAD_USER_INPUT (with argumentPath for the gateway's own checks) and nothing sent upstream. */
function expectRejected(result: Exchange, verdict: Exclude<Verdict, { kind: 'valid' }>, field: string): string {
  if (result.upstream.length !== 0) fail(`locally invalid input (${verdict.kind}) reached the upstream`, result);
  const errors = result.body.errors ?? [];
  if (errors.length === 0) fail(`expected BAD_USER_INPUT for ${verdict.kind}`, result);
  if (!errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')) fail(`expected only BAD_USER_INPUT for ${verdict.kind}`, result);
  if (!dataIsNull(result, field)) fail('expected no data', result);
  if (verdict.kind !== 'invalid') return `rejected:${verdict.kind}`;
  if (errors.length !== 1) fail('expected exactly one error', result);
  const extensions = errors[0].extensions!;
  if (!verdict.paths.includes(String(extensions.argumentPath))) fail(`expected argumentPath in ${JSON.stringify(verdict.paths)}`, result);
  if (verdict.body) {
    // Every problem is counted (a path may have several); the first MAX_LISTED_PROBLEMS are listed.
    const listed = (extensions.problems ?? []) as Array<{ path: string }>;
    const problems = new Set(listed.map((p) => p.path));
    const expected = new Set(verdict.paths);
    const count = Number(extensions.problemCount);
    const complete = count <= MAX_LISTED_PROBLEMS;
    const pathsRight = complete
      ? problems.size === expected.size && [...expected].every((p) => problems.has(p))
      : [...problems].every((p) => expected.has(p));
    if (!pathsRight || listed.length !== Math.min(count, MAX_LISTED_PROBLEMS) || count < expected.size) {
      fail(
        `expected extensions.problems at ${complete ? 'exactly' : 'some of'} ${JSON.stringify([...expected])}, ${count} counted`,
        result,
      );
    }
  }
  return `rejected:${String(extensions.argumentPath).replace(/\[\d+\]/g, '[]')}`;
}

/** Variables that do not coerce: BAD_USER_INPUT only, however many problems there are. */
function expectCoercionRefusal(result: Exchange, field: string): string {
  return expectRejected(result, { kind: 'coercion' }, field);
}

/** One typed error that came from the upstream's answer. */
function expectUpstreamError(result: Exchange, code: string, upstreamStatus: number, field: string): string {
  const errors = result.body.errors ?? [];
  if (errors.length !== 1 || errors[0].extensions?.code !== code || errors[0].extensions?.upstreamStatus !== upstreamStatus) {
    fail(`expected ${code} from upstream ${upstreamStatus}`, result);
  }
  if (!dataIsNull(result, field)) fail('expected no data with the error', result);
  return `upstream:${code}`;
}

/** No token: UNAUTHENTICATED before any upstream call. */
function expectNoTokenRefusal(result: Exchange, field: string): string {
  if (result.upstream.length !== 0) fail('a request without a token reached the upstream', result);
  if (codesOf(result).join() !== 'UNAUTHENTICATED' || result.body.errors![0].extensions?.upstreamStatus !== undefined) {
    fail('expected a local UNAUTHENTICATED', result);
  }
  if (!dataIsNull(result, field)) fail('expected no data', result);
  return 'local:UNAUTHENTICATED';
}

/** Exactly one upstream call, with the documented method, path, flags and headers. */
function expectOneCall(result: Exchange, method: string, path: string, token: TokenChoice, domain: string | null | undefined): void {
  if (result.upstream.length !== 1) fail(`expected exactly one upstream call, got ${result.upstream.length}`, result);
  const request = result.upstream[0];
  if (request.method !== method || request.path !== path) fail(`expected ${method} ${path}`, result);
  const { _actions, _links, _embedded } = request.query;
  if (_actions !== 'false' || _links !== 'true' || _embedded !== 'true') fail('expected the client flags', result);
  if (request.headers.authorization !== authorizationFor(token)) fail('the caller token was not forwarded verbatim', result);
  if (request.headers['accept-version'] !== '^1.30.0') fail('expected Accept-Version', result);
  const expectedDomain = domain ? domain : undefined;
  if (request.headers.losantdomain !== expectedDomain) fail(`expected losantdomain header ${JSON.stringify(expectedDomain)}`, result);
}

/** The typed error the simulator's auth answers for tokens that may not do `action`, or undefined when the token may. */
function authFailure(token: TokenChoice, write: boolean): { code: string; status: number } | undefined {
  if (token === 'garbage') return { code: 'UNAUTHENTICATED', status: 401 };
  if (token === 'noInvites') return { code: 'FORBIDDEN', status: 403 };
  if (token === 'readOnly' && write) return { code: 'FORBIDDEN', status: 403 };
  return undefined;
}

function orgKnown(instanceId: string, orgId: string): boolean {
  return stack.simulator.store.hasInstance(instanceId) && stack.simulator.store.invites(instanceId, orgId) !== undefined;
}

const grantsToRest = (grants: readonly Grant[]) => grants.map((g) => ({ resourceId: g.resourceId, role: g.role.toLowerCase() }));
const grantsView = (grants: readonly { resourceId: string; role: string }[] | undefined) =>
  (grants ?? []).map((g) => ({ resourceId: g.resourceId, role: g.role.toUpperCase() }));

function same(actual: unknown, expected: unknown): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** Runs one property with the invariants around it: the follow-up request, and the seed restored. */
async function runProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  body: (value: T) => Promise<string>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      try {
        count(`${name} ${await body(value)}`);
        await assertStillServing(stack);
      } finally {
        restoreSeed();
      }
    }),
    { numRuns, ...SEED },
  );
}

// -----------------------------------------------------------------------------------------------
// orgInvites and instanceOrg { invites }
// -----------------------------------------------------------------------------------------------

const COLLECTION_FIELDS = 'count instanceId orgId sortField sortDirection filterField filter items { id email role inviteDate }';
const LIST_VARIABLES =
  '$instanceId: ID!, $orgId: ID!, $sortField: InviteSortField, $sortDirection: SortDirection, $filterField: InviteFilterField, $filter: String, $losantdomain: String';
const LIST_ARGUMENTS =
  'sortField: $sortField, sortDirection: $sortDirection, filterField: $filterField, filter: $filter, losantdomain: $losantdomain';
const LIST_DOCUMENTS = {
  orgInvites: `query List(${LIST_VARIABLES}) { orgInvites(instanceId: $instanceId, orgId: $orgId, ${LIST_ARGUMENTS}) { ${COLLECTION_FIELDS} } }`,
  instanceOrg: `query ListViaOrg(${LIST_VARIABLES}) { instanceOrg(instanceId: $instanceId, orgId: $orgId) { invites(${LIST_ARGUMENTS}) { ${COLLECTION_FIELDS} } } }`,
} as const;

const listCase = fc.record({
  via: fc.constantFrom<keyof typeof LIST_DOCUMENTS>('orgInvites', 'instanceOrg'),
  token: tokenChoice,
  variables: fc.record({
    instanceId: idArgument(validInstanceId),
    orgId: idArgument(validOrgId),
    sortField: sortFieldArgument,
    sortDirection: sortDirectionArgument,
    filterField: filterFieldArgument,
    filter: filterArgument,
    losantdomain: domainArgument,
  }),
});

const REST_SORT_FIELD: Record<string, string> = { EMAIL: 'email', ROLE: 'role', INVITE_DATE: 'inviteDate' };

function checkListData(result: Exchange, via: keyof typeof LIST_DOCUMENTS, input: ListInput): string {
  if (result.body.errors !== undefined) fail('expected data', result);
  const data = result.body.data!;
  const collection = (via === 'orgInvites' ? data.orgInvites : (data.instanceOrg as { invites: unknown }).invites) as CollectionView;
  const filtered = input.filterField != null && input.filter != null && input.filter.trim() !== '';
  const expected = {
    instanceId: input.instanceId,
    orgId: input.orgId,
    sortField: input.sortField ?? 'INVITE_DATE',
    sortDirection: input.sortDirection ?? 'DESC',
    filter: filtered ? wellFormed(input.filter!) : null,
  };
  for (const [key, value] of Object.entries(expected)) {
    if (collection[key as keyof CollectionView] !== value) fail(`expected ${key} ${JSON.stringify(value)}`, result);
  }
  if (collection.count !== collection.items.length) fail('count differs from the items', result);
  const held = stack.simulator.store.invites(input.instanceId, input.orgId)!;
  if (!filtered && collection.count !== held.length) fail(`an unfiltered list must hold all ${held.length} invites`, result);
  if (collection.items.some((item) => !held.some((h) => h.id === item.id))) fail('an item the org does not hold', result);
  // The upstream's order reaches the client unchanged.
  const key = REST_SORT_FIELD[expected.sortField];
  const sign = expected.sortDirection === 'ASC' ? 1 : -1;
  const value = (item: CollectionView['items'][number]) =>
    key === 'inviteDate' ? Date.parse(item.inviteDate) : key === 'role' ? item.role : item.email;
  for (let i = 1; i < collection.items.length; i++) {
    const [a, b] = [value(collection.items[i - 1]), value(collection.items[i])];
    if (sign * (a < b ? -1 : a > b ? 1 : 0) > 0) fail(`items are not in ${expected.sortField} ${expected.sortDirection} order`, result);
  }
  const filterField = filtered ? input.filterField : null;
  if (collection.filterField !== filterField)
    fail(`expected filterField ${JSON.stringify(filterField)} (schema: null when not filtered)`, result);
  return 'data';
}

interface ListInput {
  instanceId: string;
  orgId: string;
  sortField: string | null | undefined;
  sortDirection: string | null | undefined;
  filterField: string | null | undefined;
  filter: string | null | undefined;
  losantdomain: string | null | undefined;
}

function listVerdict(via: keyof typeof LIST_DOCUMENTS, v: Record<string, unknown>): { verdict: Verdict; input?: ListInput } {
  const problems = new Problems();
  const input = {
    instanceId: coerce.requiredId(v.instanceId, problems),
    orgId: coerce.requiredId(v.orgId, problems),
    sortField: coerce.sortField(v.sortField, problems),
    sortDirection: coerce.sortDirection(v.sortDirection, problems),
    filterField: coerce.filterField(v.filterField, problems),
    filter: coerce.optionalString(v.filter, problems),
    losantdomain: coerce.optionalString(v.losantdomain, problems),
  };
  if (Object.values(input).includes(FAIL)) return { verdict: { kind: 'coercion' } };
  const ok = input as ListInput;
  const ids = idStages({ instanceId: ok.instanceId, orgId: ok.orgId });
  const rest = [{ stage: filterStage(ok.filterField, ok.filter) }, { stage: domainStage(ok.losantdomain) }];
  const nullArgument = ok.sortField === null ? 'sortField' : ok.sortDirection === null ? 'sortDirection' : undefined;
  // orgInvites' arguments are all read before its resolver runs; instanceOrg checks the ids before invites' arguments are read.
  if (via === 'instanceOrg') {
    const idVerdict = firstFailing(ids);
    if (idVerdict.kind !== 'valid') return { verdict: idVerdict, input: ok };
  }
  if (nullArgument) return { verdict: { kind: 'nullArgument', argument: nullArgument }, input: ok };
  return { verdict: firstFailing([...(via === 'orgInvites' ? ids : []), ...rest]), input: ok };
}

// -----------------------------------------------------------------------------------------------
// The properties
// -----------------------------------------------------------------------------------------------

describe('input properties (real HTTP, one stack)', () => {
  test('orgInvites / instanceOrg.invites: ids, sort values, globs, filterField, losantdomain, tokens', async () => {
    await runProperty('orgInvites', listCase, runs(900), async ({ via, token, variables }) => {
      const result = await exchange(stack, LIST_DOCUMENTS[via], variables, token);
      const { verdict, input } = listVerdict(via, variables);
      const field = via;
      return (() => {
        if (verdict.kind !== 'valid') return expectRejected(result, verdict, field);
        const ok = input!;
        if (token === 'none') return expectNoTokenRefusal(result, field);
        expectOneCall(result, 'GET', `/instances/${ok.instanceId}/orgs/${ok.orgId}/invites`, token, ok.losantdomain);
        const expectedQuery: Record<string, string> = {
          sortField: REST_SORT_FIELD[ok.sortField ?? 'INVITE_DATE'],
          sortDirection: (ok.sortDirection ?? 'DESC').toLowerCase(),
          ...(ok.filterField != null ? { filterField: ok.filterField.toLowerCase() } : {}),
          ...(ok.filter != null ? { filter: wellFormed(ok.filter) } : {}),
          _actions: 'false',
          _links: 'true',
          _embedded: 'true',
        };
        if (!same(result.upstream[0].query, expectedQuery)) fail(`expected query ${JSON.stringify(expectedQuery).slice(0, 300)}`, result);
        const refused = authFailure(token, false);
        if (refused) return expectUpstreamError(result, refused.code, refused.status, field);
        if (!orgKnown(ok.instanceId, ok.orgId)) return expectUpstreamError(result, 'NOT_FOUND', 404, field);
        return checkListData(result, via, ok);
      })();
    });
  });

  test('orgInvite: instance, org and invite ids, losantdomain, tokens', async () => {
    // Seed invites with their own org (often), or ids drawn independently (mostly not found).
    const seedPairs = [...seedIds].flatMap(([orgId, ids]) => [...ids].map((inviteId) => ({ orgId, inviteId })));
    const knownInviteIds = seedPairs.map((pair) => pair.inviteId);
    const validInviteId = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...knownInviteIds) },
      { weight: 1, arbitrary: fc.constantFrom(...knownInviteIds).map((id) => id.toUpperCase()) },
      { weight: 1, arbitrary: validOrgId },
    );
    const orgAndInvite = fc.oneof(
      { weight: 2, arbitrary: fc.record({ orgId: idArgument(validOrgId), inviteId: idArgument(validInviteId) }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...seedPairs), fc.boolean())
          .map(([pair, upperCase]) => (upperCase ? { orgId: pair.orgId.toUpperCase(), inviteId: pair.inviteId.toUpperCase() } : pair)),
      },
    );
    const singleCase = fc.record({
      token: tokenChoice,
      variables: fc
        .record({ instanceId: idArgument(validInstanceId), ids: orgAndInvite, losantdomain: domainArgument })
        .map(({ ids, ...rest }): Record<string, unknown> => ({ ...rest, ...ids })),
    });
    const document = `query One($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $losantdomain: String) {
      orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, losantdomain: $losantdomain) {
        id instanceId orgId email role status applicationRoles { resourceId role } dashboardRoles { resourceId role }
      }
    }`;
    await runProperty('orgInvite', singleCase, runs(400), async ({ token, variables }) => {
      const result = await exchange(stack, document, variables, token);
      const problems = new Problems();
      const ids = {
        instanceId: coerce.requiredId(variables.instanceId, problems),
        orgId: coerce.requiredId(variables.orgId, problems),
        inviteId: coerce.requiredId(variables.inviteId, problems),
      };
      const domain = coerce.optionalString(variables.losantdomain, problems);
      if (ids.instanceId === FAIL || ids.orgId === FAIL || ids.inviteId === FAIL || domain === FAIL) {
        return expectCoercionRefusal(result, 'orgInvite');
      }
      const { instanceId, orgId, inviteId } = ids as { instanceId: string; orgId: string; inviteId: string };
      const verdict = firstFailing([...idStages({ instanceId, orgId, inviteId }), { stage: domainStage(domain) }]);
      if (verdict.kind !== 'valid') return expectRejected(result, verdict, 'orgInvite');
      if (token === 'none') return expectNoTokenRefusal(result, 'orgInvite');
      expectOneCall(result, 'GET', `/instances/${instanceId}/orgs/${orgId}/invites/${inviteId}`, token, domain);
      const refused = authFailure(token, false);
      if (refused) return expectUpstreamError(result, refused.code, refused.status, 'orgInvite');
      const held = orgKnown(instanceId, orgId) ? stack.simulator.store.find(instanceId, orgId, inviteId) : undefined;
      if (!held) return expectUpstreamError(result, 'NOT_FOUND', 404, 'orgInvite');
      if (result.body.errors !== undefined) fail('expected data', result);
      const expected = {
        id: held.id,
        instanceId,
        orgId,
        email: held.email,
        role: held.role.toUpperCase(),
        status: held.hasExpired ? 'EXPIRED' : 'PENDING',
        applicationRoles: grantsView(held.applicationRoles),
        dashboardRoles: grantsView(held.dashboardRoles),
      };
      if (!same(result.body.data!.orgInvite, expected)) fail(`expected ${JSON.stringify(expected)}`, result);
      return 'data';
    });
  });

  test('inviteMember: emails, org roles, 0..120 grants with good and bad resource ids and roles, losantdomain, tokens', async () => {
    const inviteCase = fc.record({
      token: tokenChoice,
      variables: fc.record({
        instanceId: idArgument(validInstanceId),
        orgId: idArgument(validOrgId),
        invite: inviteArgument,
        losantdomain: domainArgument,
      }),
    });
    const document = `mutation Invite($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!, $losantdomain: String) {
      inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite, losantdomain: $losantdomain) {
        invite { email role disallowTransfer status applicationRoles { resourceId role } dashboardRoles { resourceId role } }
        invites { count }
      }
    }`;
    await runProperty('inviteMember', inviteCase, runs(700), async ({ token, variables }) => {
      const problems = new Problems();
      const coerced = {
        instanceId: coerce.requiredId(variables.instanceId, problems),
        orgId: coerce.requiredId(variables.orgId, problems),
        invite: coerce.invite(variables.invite, problems),
        domain: coerce.optionalString(variables.losantdomain, problems),
      } as const;
      // What the upstream holds before, to tell a new invite from a duplicate.
      const before =
        coerced.instanceId !== FAIL && coerced.orgId !== FAIL && orgKnown(coerced.instanceId, coerced.orgId)
          ? stack.simulator.store.invites(coerced.instanceId, coerced.orgId)!
          : undefined;
      const result = await exchange(stack, document, variables, token);
      if (Object.values(coerced).includes(FAIL)) {
        return expectCoercionRefusal(result, 'inviteMember');
      }
      const { instanceId, orgId, domain } = coerced as { instanceId: string; orgId: string; domain: string | null | undefined };
      const invite = coerced.invite as InviteInput;
      const verdict = firstFailing([
        ...idStages({ instanceId, orgId }),
        { stage: inviteBodyStage(invite), body: true },
        { stage: domainStage(domain) },
      ]);
      if (verdict.kind !== 'valid') return expectRejected(result, verdict, 'inviteMember');
      if (token === 'none') return expectNoTokenRefusal(result, 'inviteMember');
      expectOneCall(result, 'POST', `/instances/${instanceId}/orgs/${orgId}/invites`, token, domain);
      const restBody = {
        email: invite.email,
        role: invite.role.toLowerCase(),
        ...(invite.applicationRoles != null ? { applicationRoles: grantsToRest(invite.applicationRoles) } : {}),
        ...(invite.dashboardRoles != null ? { dashboardRoles: grantsToRest(invite.dashboardRoles) } : {}),
        ...(invite.disallowTransfer != null ? { disallowTransfer: invite.disallowTransfer } : {}),
      };
      if (!same(result.upstream[0].body, restBody)) fail(`expected body ${JSON.stringify(restBody).slice(0, 300)}`, result);
      const refused = authFailure(token, true);
      if (refused) return expectUpstreamError(result, refused.code, refused.status, 'inviteMember');
      if (!before) return expectUpstreamError(result, 'NOT_FOUND', 404, 'inviteMember');
      const duplicate = before.some((held: OrgInviteDto) => held.email.toLowerCase() === invite.email.toLowerCase() && !held.hasExpired);
      if (duplicate) return `duplicate-email:${expectUpstreamError(result, 'BAD_USER_INPUT', 400, 'inviteMember')}`;
      if (result.body.errors !== undefined) fail('expected data', result);
      const payload = result.body.data!.inviteMember as { invite: unknown; invites: { count: number } };
      const expected = {
        email: invite.email,
        role: invite.role,
        disallowTransfer: invite.disallowTransfer ?? false,
        status: 'PENDING',
        applicationRoles: invite.applicationRoles ?? [],
        dashboardRoles: invite.dashboardRoles ?? [],
      };
      if (!same(payload.invite, expected)) fail(`expected invite ${JSON.stringify(expected).slice(0, 300)}`, result);
      if (payload.invites.count !== before.length + 1) fail(`expected ${before.length + 1} invites after the new one`, result);
      return 'data';
    });
  });

  /** Adds an invite for a revoke or resend to act on, in the org the ids name when the simulator knows it. */
  function freshTarget(target: InviteTarget, instanceId: unknown, orgId: unknown): { inviteId: unknown; fresh?: OrgInviteDto } {
    if (!target.fresh) return { inviteId: target.id };
    const i = typeof instanceId === 'string' ? instanceId : '';
    const o = typeof orgId === 'string' ? orgId : '';
    const [inInstance, inOrg] = isObjectId(i) && isObjectId(o) && orgKnown(i, o) ? [i, o] : [DEMO_INSTANCE_ID, DEMO_EMPTY_ORG_ID];
    const fresh = stack.simulator.store.add(inInstance, inOrg, {
      email: `fresh-${Math.random().toString(36).slice(2)}@example.com`,
      role: 'view',
      applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'view' }],
    });
    return { inviteId: target.upperCase ? fresh.id.toUpperCase() : fresh.id, fresh };
  }

  test('revokeInvite: ids, losantdomain, tokens', async () => {
    const revokeCase = fc.record({
      token: tokenChoice,
      target: inviteTarget,
      variables: fc.record({ instanceId: idArgument(validInstanceId), orgId: idArgument(validOrgId), losantdomain: domainArgument }),
    });
    const document = `mutation Revoke($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $losantdomain: String) {
      revokeInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, losantdomain: $losantdomain) { success revokedInviteId }
    }`;
    await runProperty('revokeInvite', revokeCase, runs(350), async ({ token, target, variables }) => {
      const { inviteId: rawInviteId } = freshTarget(target, variables.instanceId, variables.orgId);
      const all = { ...variables, inviteId: rawInviteId };
      const problems = new Problems();
      const ids = {
        instanceId: coerce.requiredId(all.instanceId, problems),
        orgId: coerce.requiredId(all.orgId, problems),
        inviteId: coerce.requiredId(all.inviteId, problems),
      } as const;
      const domain = coerce.optionalString(all.losantdomain, problems);
      const existed =
        ids.instanceId !== FAIL && ids.orgId !== FAIL && ids.inviteId !== FAIL && orgKnown(ids.instanceId, ids.orgId)
          ? stack.simulator.store.find(ids.instanceId, ids.orgId, ids.inviteId) !== undefined
          : false;
      const result = await exchange(stack, document, all, token);
      if (ids.instanceId === FAIL || ids.orgId === FAIL || ids.inviteId === FAIL || domain === FAIL) {
        return expectCoercionRefusal(result, 'revokeInvite');
      }
      const { instanceId, orgId, inviteId } = ids as { instanceId: string; orgId: string; inviteId: string };
      const verdict = firstFailing([...idStages({ instanceId, orgId, inviteId }), { stage: domainStage(domain) }]);
      if (verdict.kind !== 'valid') return expectRejected(result, verdict, 'revokeInvite');
      if (token === 'none') return expectNoTokenRefusal(result, 'revokeInvite');
      expectOneCall(result, 'DELETE', `/instances/${instanceId}/orgs/${orgId}/invites/${inviteId}`, token, domain);
      const refused = authFailure(token, true);
      if (refused) return expectUpstreamError(result, refused.code, refused.status, 'revokeInvite');
      if (!existed) return expectUpstreamError(result, 'NOT_FOUND', 404, 'revokeInvite');
      if (!same(result.body, { data: { revokeInvite: { success: true, revokedInviteId: inviteId } } }))
        fail('expected the revocation', result);
      if (stack.simulator.store.find(instanceId, orgId, inviteId)) fail('the invite is still there', result);
      return 'data';
    });
  });

  test('resendInvite: ids, org roles, 0..120 grants, losantdomain, tokens', async () => {
    const resendCase = fc.record({
      token: tokenChoice,
      target: inviteTarget,
      variables: fc.record({
        instanceId: idArgument(validInstanceId),
        orgId: idArgument(validOrgId),
        roles: rolesArgument,
        losantdomain: domainArgument,
      }),
    });
    const document = `mutation Resend($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $roles: OrgRoleInfoInput!, $losantdomain: String) {
      resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: $roles, losantdomain: $losantdomain) {
        invite { id role status applicationRoles { resourceId role } dashboardRoles { resourceId role } }
      }
    }`;
    await runProperty('resendInvite', resendCase, runs(450), async ({ token, target, variables }) => {
      const { inviteId: rawInviteId } = freshTarget(target, variables.instanceId, variables.orgId);
      const all = { ...variables, inviteId: rawInviteId };
      const problems = new Problems();
      const coerced = {
        instanceId: coerce.requiredId(all.instanceId, problems),
        orgId: coerce.requiredId(all.orgId, problems),
        inviteId: coerce.requiredId(all.inviteId, problems),
        roles: coerce.roles(all.roles, problems),
        domain: coerce.optionalString(all.losantdomain, problems),
      } as const;
      const before =
        coerced.instanceId !== FAIL && coerced.orgId !== FAIL && coerced.inviteId !== FAIL && orgKnown(coerced.instanceId, coerced.orgId)
          ? stack.simulator.store.find(coerced.instanceId, coerced.orgId, coerced.inviteId)
          : undefined;
      const result = await exchange(stack, document, all, token);
      if (Object.values(coerced).includes(FAIL)) {
        return expectCoercionRefusal(result, 'resendInvite');
      }
      const { instanceId, orgId, inviteId, domain } = coerced as {
        instanceId: string;
        orgId: string;
        inviteId: string;
        domain: string | null | undefined;
      };
      const roles = coerced.roles as RolesInput;
      const verdict = firstFailing([
        ...idStages({ instanceId, orgId, inviteId }),
        { stage: rolesBodyStage(roles), body: true },
        { stage: domainStage(domain) },
      ]);
      if (verdict.kind !== 'valid') return expectRejected(result, verdict, 'resendInvite');
      if (token === 'none') return expectNoTokenRefusal(result, 'resendInvite');
      expectOneCall(result, 'POST', `/instances/${instanceId}/orgs/${orgId}/invites/${inviteId}`, token, domain);
      const restBody = {
        ...(roles.role != null ? { role: roles.role.toLowerCase() } : {}),
        ...(roles.applicationRoles != null ? { applicationRoles: grantsToRest(roles.applicationRoles) } : {}),
        ...(roles.dashboardRoles != null ? { dashboardRoles: grantsToRest(roles.dashboardRoles) } : {}),
      };
      if (!same(result.upstream[0].body, restBody)) fail(`expected body ${JSON.stringify(restBody).slice(0, 300)}`, result);
      const refused = authFailure(token, true);
      if (refused) return expectUpstreamError(result, refused.code, refused.status, 'resendInvite');
      if (!before) return expectUpstreamError(result, 'NOT_FOUND', 404, 'resendInvite');
      if (result.body.errors !== undefined) fail('expected data', result);
      const expected = {
        id: before.id,
        role: roles.role ?? before.role.toUpperCase(),
        status: 'PENDING',
        applicationRoles: roles.applicationRoles ?? grantsView(before.applicationRoles),
        dashboardRoles: roles.dashboardRoles ?? grantsView(before.dashboardRoles),
      };
      if (!same((result.body.data!.resendInvite as { invite: unknown }).invite, expected))
        fail(`expected ${JSON.stringify(expected).slice(0, 300)}`, result);
      return 'data';
    });
  });

  test('any JSON as variables, for every operation: no 5xx, typed codes, nothing sent upstream unless the variables are usable', async () => {
    const documents = [
      LIST_DOCUMENTS.orgInvites,
      LIST_DOCUMENTS.instanceOrg,
      'query ($instanceId: ID!, $orgId: ID!, $inviteId: ID!) { orgInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId) { id } }',
      'mutation ($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!) { inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite) { invites { count } } }',
      'mutation ($instanceId: ID!, $orgId: ID!, $inviteId: ID!, $roles: OrgRoleInfoInput!) { resendInvite(instanceId: $instanceId, orgId: $orgId, inviteId: $inviteId, roles: $roles) { invite { id } } }',
    ];
    const names = [
      'instanceId',
      'orgId',
      'inviteId',
      'sortField',
      'sortDirection',
      'filterField',
      'filter',
      'losantdomain',
      'invite',
      'roles',
    ];
    const variables = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 3 }), {
          maxKeys: 8,
        }),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    );
    await runProperty(
      'anyVariables',
      fc.record({ document: fc.constantFrom(...documents), variables, token: tokenChoice }),
      runs(350),
      async (c) => {
        const result = await exchange(stack, c.document, c.variables, c.token);
        // Random variables almost never hold 24-hex ids, so nothing may reach the upstream...
        const usable = ['instanceId', 'orgId'].every((name) => {
          const value = (c.variables as Record<string, unknown> | null)?.[name];
          return typeof value === 'string' && isObjectId(value);
        });
        if (!usable && result.upstream.length !== 0) fail('unusable variables reached the upstream', result);
        return result.body.errors ? [...new Set(codesOf(result))].sort().join('+') : 'data';
      },
    );
  });
});

// -----------------------------------------------------------------------------------------------
// Regressions: the minimal inputs with which the properties above found defects, now fixed.
// -----------------------------------------------------------------------------------------------

describe('regressions (minimal inputs the properties found)', () => {
  test.each(['sortField', 'sortDirection'])(
    '%s: null through a nullable variable is BAD_USER_INPUT, not INTERNAL_SERVER_ERROR',
    async (argument) => {
      const variables = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, [argument]: null };
      const result = await exchange(stack, LIST_DOCUMENTS.orgInvites, variables, 'admin');
      expect(result.upstream).toHaveLength(0);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    },
  );

  test('51 invalid grant roles: every error is BAD_USER_INPUT (none INTERNAL_SERVER_ERROR)', async () => {
    const applicationRoles = Array.from({ length: MAX_VARIABLE_ERRORS + 1 }, () => ({
      resourceId: '5f1e0a9b2c3d4e5f607182a1',
      role: 'OWNER',
    }));
    const document =
      'mutation ($instanceId: ID!, $orgId: ID!, $invite: OrgInviteInput!) { inviteMember(instanceId: $instanceId, orgId: $orgId, invite: $invite) { invites { count } } }';
    const variables = {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_EMPTY_ORG_ID,
      invite: { email: 'x@example.com', role: 'VIEW', applicationRoles },
    };
    const result = await exchange(stack, document, variables, 'admin');
    expect(result.upstream).toHaveLength(0);
    expect(new Set(codesOf(result))).toEqual(new Set(['BAD_USER_INPUT']));
  });

  test('filterField without filter: not filtered, so filterField reads null', async () => {
    const variables = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, filterField: 'EMAIL' };
    const result = await exchange(stack, LIST_DOCUMENTS.orgInvites, variables, 'admin');
    const collection = result.body.data?.orgInvites as { count: number; filterField: unknown; filter: unknown };
    expect(collection.count).toBe(stack.simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG_ID)!.length);
    expect(collection).toMatchObject({ filter: null, filterField: null });
  });

  test('filter: 600 emoji are 600 characters, within the 1024-character limit', async () => {
    const filter = '\ud83d\ude00'.repeat(600);
    expect(characters(filter)).toBe(600);
    const variables = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, filterField: 'EMAIL', filter };
    const result = await exchange(stack, LIST_DOCUMENTS.orgInvites, variables, 'admin');
    expect(result.body.errors).toBeUndefined();
    expect(result.upstream).toHaveLength(1);
  });
});
