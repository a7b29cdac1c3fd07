import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS, graphql, startStack, TestStack } from '../support/stack';
import { CollectionView, DEMO_ORG, LIST_INVITES } from '../support/operations';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.simulator.requests.length = 0;
});

async function list(variables: Record<string, unknown>, token: string | null = DEMO_TOKENS.admin) {
  return graphql<{ orgInvites: CollectionView }>(stack.graphqlUrl, LIST_INVITES, { variables: { ...DEMO_ORG, ...variables }, token });
}

describe('orgInvites', () => {
  test('defaults: newest first, every field of every invite as the simulator holds it', async () => {
    const result = await list({});
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    const collection = result.body.data!.orgInvites;
    const held = stack.simulator.store.invites(DEMO_INSTANCE_ID, DEMO_ORG.orgId)!;
    expect(collection).toMatchObject({
      count: held.length,
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG.orgId,
      sortField: 'INVITE_DATE',
      sortDirection: 'DESC',
      filterField: null,
      filter: null,
    });
    const byDate = [...held].sort((a, b) => Date.parse(b.inviteDate) - Date.parse(a.inviteDate));
    expect(collection.items.map((i) => i.id)).toEqual(byDate.map((i) => i.id));
    for (const item of collection.items) {
      const source = held.find((h) => h.id === item.id)!;
      expect(item).toEqual({
        id: source.id,
        email: source.email,
        role: source.role.toUpperCase(),
        inviteDate: new Date(source.inviteDate).toISOString(),
        ttl: source.ttl,
        hasExpired: source.hasExpired,
        disallowTransfer: source.disallowTransfer,
        applicationRoles: (source.applicationRoles ?? []).map((g) => ({ resourceId: g.resourceId, role: g.role.toUpperCase() })),
        dashboardRoles: (source.dashboardRoles ?? []).map((g) => ({ resourceId: g.resourceId, role: g.role.toUpperCase() })),
      });
    }
    // The defaults reach the upstream as the REST values.
    expect(stack.simulator.requests[0].query).toMatchObject({ sortField: 'inviteDate', sortDirection: 'desc' });
  });

  test.each([
    ['EMAIL', 'email'],
    ['ROLE', 'role'],
    ['INVITE_DATE', 'inviteDate'],
  ])('sortField %s is sent as %s, both directions, and echoed back', async (graphqlValue, restValue) => {
    for (const [direction, restDirection] of [
      ['ASC', 'asc'],
      ['DESC', 'desc'],
    ] as const) {
      stack.simulator.requests.length = 0;
      const result = await list({ sortField: graphqlValue, sortDirection: direction });
      const collection = result.body.data!.orgInvites;
      expect(stack.simulator.requests[0].query).toMatchObject({ sortField: restValue, sortDirection: restDirection });
      expect(collection.sortField).toBe(graphqlValue);
      expect(collection.sortDirection).toBe(direction);
      const keys = collection.items.map((item) =>
        restValue === 'inviteDate' ? Date.parse(item.inviteDate) : restValue === 'role' ? item.role.toLowerCase() : item.email,
      );
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(keys).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
    }
  });

  test.each([
    ['EMAIL', 'email', '*@example.org', ['dennis@example.org', 'ken@example.org', 'linus@example.org']],
    ['EMAIL', 'email', 'ADA@EXAMPLE.COM', ['ada@example.com']],
    ['EMAIL', 'email', '?en@example.org', ['ken@example.org']],
    ['EMAIL', 'email', 'example.com', []],
    ['ROLE', 'role', 'edit', ['dennis@example.org', 'grace@example.com']],
    ['ROLE', 'role', '*i*', ['ada@example.com', 'dennis@example.org', 'grace@example.com', 'linus@example.org', 'barbara@example.com']],
  ])('filterField %s (sent as %s) with glob %p', async (graphqlField, restField, pattern, expected) => {
    const result = await list({ filterField: graphqlField, filter: pattern, sortField: 'EMAIL', sortDirection: 'ASC' });
    const collection = result.body.data!.orgInvites;
    expect(stack.simulator.requests[0].query).toMatchObject({ filterField: restField, filter: pattern });
    expect(collection.items.map((i) => i.email)).toEqual([...expected].sort());
    expect(collection.count).toBe(expected.length);
    expect(collection.filterField).toBe(graphqlField);
    expect(collection.filter).toBe(pattern);
  });

  test('filterField without filter does not filter', async () => {
    const result = await list({ filterField: 'ROLE' });
    expect(result.body.data!.orgInvites.count).toBe(7);
    expect(stack.simulator.requests[0].query).not.toHaveProperty('filter');
  });

  test('an empty org and a second org are told apart', async () => {
    const empty = await list({ orgId: DEMO_EMPTY_ORG_ID });
    expect(empty.body.data!.orgInvites).toMatchObject({ count: 0, items: [], orgId: DEMO_EMPTY_ORG_ID });
    const second = await list({ orgId: DEMO_SECOND_ORG_ID });
    expect(second.body.data!.orgInvites.items.map((i) => i.email)).toEqual(['alan@example.net', 'edsger@example.net', 'tony@example.net']);
  });

  test('losantdomain: the argument wins over the header, the header is used otherwise, none is sent by default', async () => {
    await list({}, DEMO_TOKENS.admin);
    expect(stack.simulator.requests[0].headers.losantdomain).toBeUndefined();

    await graphql(stack.graphqlUrl, LIST_INVITES, {
      variables: { ...DEMO_ORG, sortField: 'EMAIL' },
      headers: { losantdomain: 'header.example.com' },
    });
    expect(stack.simulator.requests[1].headers.losantdomain).toBe('header.example.com');

    await graphql(stack.graphqlUrl, LIST_INVITES, {
      variables: { ...DEMO_ORG, sortField: 'ROLE', losantdomain: 'argument.example.com' },
      headers: { losantdomain: 'header.example.com' },
    });
    expect(stack.simulator.requests[2].headers.losantdomain).toBe('argument.example.com');
  });

  test('the caller’s Authorization header reaches the upstream verbatim, with the contract’s headers and flags', async () => {
    await list({}, DEMO_TOKENS.readOnly);
    const [request] = stack.simulator.requests;
    expect(request.headers.authorization).toBe(`Bearer ${DEMO_TOKENS.readOnly}`);
    expect(request.headers['accept-version']).toBe('^1.30.0');
    expect(request.headers.accept).toBe('application/json');
    expect(request.query).toMatchObject({ _actions: 'false', _links: 'true', _embedded: 'true' });
    expect(request.path).toBe(`/instances/${DEMO_INSTANCE_ID}/orgs/${DEMO_ORG.orgId}/invites`);
  });

  test('the same list asked for twice in one operation (aliases and fragments) makes one REST call', async () => {
    const query = `
      fragment Emails on OrgInviteCollection { items { email } }
      query Twice($instanceId: ID!, $orgId: ID!) {
        a: orgInvites(instanceId: $instanceId, orgId: $orgId) { count }
        b: orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: INVITE_DATE, sortDirection: DESC) { ...Emails }
        c: orgInvites(instanceId: $instanceId, orgId: $orgId) { ...Emails }
        other: orgInvites(instanceId: $instanceId, orgId: $orgId, sortDirection: ASC) { count }
      }`;
    const result = await graphql<Record<string, { count?: number; items?: unknown[] }>>(stack.graphqlUrl, query, { variables: DEMO_ORG });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!.a.count).toBe(7);
    expect(result.body.data!.b.items).toEqual(result.body.data!.c.items);
    // a, b and c are the same list; `other` differs in direction.
    expect(stack.simulator.callsTo('GET')).toHaveLength(2);
  });

  test('50 concurrent queries all succeed, each with its own upstream call', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => list({ sortDirection: i % 2 ? 'ASC' : 'DESC' })));
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data!.orgInvites.count).toBe(7);
    }
    // Loaders are per request: concurrent requests never share one another's results.
    expect(stack.simulator.callsTo('GET')).toHaveLength(50);
  });
});
