import type { OrgInviteDto } from '../../../src/contract/types';
import type { SeedOrg } from '../../../src/simulator/demoData';
import { metric } from '../../support/attack';
import { upstreamInvite } from '../../support/faultUpstream';
import { INVITE_MEMBER } from '../../support/operations';
import {
  DEMO_INSTANCE_ID,
  DEMO_ORG_ID,
  DEMO_SECOND_ORG_ID,
  DEMO_TOKENS,
  demoSeed,
  errorCodes,
  graphql,
  startStack,
  type TestStack,
} from '../../support/stack';

/**
 * The list cache in a running gateway, against the simulator over HTTP: how many list reads reach
 * the upstream with it on and off, that no token reads another's answer, and that mutations and
 * errors are never served from it.
 */
const BIG_LIST_SIZE = 5000;
const READS = 100;

function invite(n: number): OrgInviteDto {
  return { ...upstreamInvite(`user${n}@example.com`), id: n.toString(16).padStart(24, '0') };
}

/** The demo world, with a 5,000-invite list in the demo organization. */
function seed(): SeedOrg[] {
  return demoSeed(new Date()).map((org) =>
    org.orgId === DEMO_ORG_ID ? { ...org, invites: Array.from({ length: BIG_LIST_SIZE }, (_, i) => invite(i + 1)) } : org,
  );
}

const BIG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const SMALL = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID };
const LIST = `query($instanceId: ID!, $orgId: ID!, $filterField: InviteFilterField, $filter: String) {
  orgInvites(instanceId: $instanceId, orgId: $orgId, filterField: $filterField, filter: $filter) { count items { id email } }
}`;

interface ListData {
  orgInvites: { count: number; items: Array<{ id: string; email: string }> } | null;
}

/** List reads the simulator received so far. */
function listCalls(stack: TestStack): number {
  return stack.simulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/invites')).length;
}

async function hundredReads(stack: TestStack): Promise<number> {
  const before = listCalls(stack);
  for (let i = 0; i < READS; i++) {
    const result = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: BIG });
    expect(result.body.data?.orgInvites?.count).toBe(BIG_LIST_SIZE);
  }
  return listCalls(stack) - before;
}

describe('with LIST_CACHE_TTL_MS set', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ simulator: { seed: seed(), recordLimit: 10_000 }, env: { LIST_CACHE_TTL_MS: '60000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test(`${READS} reads of a ${BIG_LIST_SIZE}-invite list within the TTL make one upstream call`, async () => {
    expect(await hundredReads(stack)).toBe(1);
    expect(await metric(stack.gateway.url, 'list_cache_reads_total{outcome="hit"}')).toBeGreaterThanOrEqual(READS - 1);
  }, 120_000);

  test('no token reads another’s cached answer: each is asked of the upstream with its own rights', async () => {
    const admin = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL });
    expect(admin.body.data?.orgInvites?.count).toBeGreaterThan(0);
    const before = listCalls(stack);
    // A token without the right to list invites gets its own refusal, not the admin's cached list...
    const refused = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL, token: DEMO_TOKENS.noInvites });
    expect(refused.body.data?.orgInvites).toBeNull();
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    // ...and again: a refusal is never cached either.
    const refusedAgain = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL, token: DEMO_TOKENS.noInvites });
    expect(errorCodes(refusedAgain)).toEqual(['FORBIDDEN']);
    // A read-only token reads the same list, from the upstream, not from the admin's entry.
    const readOnly = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL, token: DEMO_TOKENS.readOnly });
    expect(readOnly.body.data?.orgInvites?.count).toBe(admin.body.data?.orgInvites?.count);
    expect(listCalls(stack) - before).toBe(3);
    const authorizations = stack.simulator.requests.slice(-3).map((request) => request.headers.authorization);
    expect(authorizations).toEqual([
      `Bearer ${DEMO_TOKENS.noInvites}`,
      `Bearer ${DEMO_TOKENS.noInvites}`,
      `Bearer ${DEMO_TOKENS.readOnly}`,
    ]);
  });

  test('another filter of the same list is another entry', async () => {
    const before = listCalls(stack);
    const filtered = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: { ...BIG, filterField: 'EMAIL', filter: 'user1@*' } });
    expect(filtered.body.data?.orgInvites?.count).toBe(1);
    expect(listCalls(stack) - before).toBe(1);
  });

  test('a mutation, succeeded or failed, clears the organization’s lists: the next read sees the upstream', async () => {
    await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL });
    const cached = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL });
    const count = cached.body.data?.orgInvites?.count ?? NaN;
    const invited = await graphql(stack.graphqlUrl, INVITE_MEMBER, {
      variables: { ...SMALL, invite: { email: 'cached-then-invited@example.com', role: 'VIEW' } },
    });
    expect(invited.body.errors).toBeUndefined();
    let before = listCalls(stack);
    const after = await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL });
    expect(after.body.data?.orgInvites?.count).toBe(count + 1);
    expect(after.body.data?.orgInvites?.items.map((item) => item.email)).toContain('cached-then-invited@example.com');
    expect(listCalls(stack) - before).toBe(1);
    // The same invite again: the upstream refuses it, and the lists are cleared all the same.
    const refused = await graphql(stack.graphqlUrl, INVITE_MEMBER, {
      variables: { ...SMALL, invite: { email: 'cached-then-invited@example.com', role: 'VIEW' } },
    });
    expect(refused.body.errors?.length).toBeGreaterThan(0);
    before = listCalls(stack);
    await graphql<ListData>(stack.graphqlUrl, LIST, { variables: SMALL });
    expect(listCalls(stack) - before).toBe(1);
    expect(await metric(stack.gateway.url, 'list_cache_invalidations_total{source="local"}')).toBe(2);
  });
});

describe('by default (LIST_CACHE_TTL_MS unset)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ simulator: { seed: seed(), recordLimit: 10_000 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test(`every one of ${READS} reads of a ${BIG_LIST_SIZE}-invite list is an upstream call`, async () => {
    expect(await hundredReads(stack)).toBe(READS);
    expect(Number.isNaN(await metric(stack.gateway.url, 'list_cache_reads_total{outcome="hit"}'))).toBe(true);
  }, 120_000);
});
