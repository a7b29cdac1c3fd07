import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_SDL_HEADER } from '../../src/graphql/buildGatewaySchema';
import type { SeedOrg } from '../../src/simulator/demoData';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, errorCodes, graphql, startStack, TestStack } from '../support/stack';

const ENTITIES = `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on InstanceOrg { instanceId orgId invites(sortField: EMAIL, sortDirection: ASC) { count items { email } } }
    }
  }`;

interface EntitiesData {
  _entities: Array<{ instanceId: string; orgId: string; invites: { count: number; items: Array<{ email: string }> } | null } | null>;
}

function ref(orgId: string, instanceId = DEMO_INSTANCE_ID) {
  return { __typename: 'InstanceOrg', instanceId, orgId };
}

/** Ten organizations with one invite each, so calls per org can be counted. */
function tenOrgs(): SeedOrg[] {
  return Array.from({ length: 10 }, (_, i) => ({
    instanceId: DEMO_INSTANCE_ID,
    orgId: `7000000000000000000000${i.toString(16).padStart(2, '0')}`,
    invites: [
      {
        id: `7100000000000000000000${i.toString(16).padStart(2, '0')}`,
        email: `member${i}@example.com`,
        role: 'view',
        applicationRoles: [],
        dashboardRoles: [],
        inviteDate: new Date().toISOString(),
        ttl: 604800000,
        hasExpired: false,
        disallowTransfer: false,
      },
    ],
  }));
}

describe('the subgraph', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulator.requests.length = 0;
  });

  test('_service { sdl } answers the committed schema/subgraph.graphql, a Federation 2 schema', async () => {
    const result = await graphql<{ _service: { sdl: string } }>(stack.graphqlUrl, '{ _service { sdl } }', { token: null });
    const committed = readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');
    // The file's first line says it is generated; the SDL the subgraph serves has no such line.
    expect(committed.startsWith(GENERATED_SDL_HEADER)).toBe(true);
    expect(result.body.data!._service.sdl.trim()).toBe(committed.slice(GENERATED_SDL_HEADER.length).trim());
    expect(committed).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(committed).toContain('type InstanceOrg\n  @key(fields: "instanceId orgId")');
  });

  test('_entities resolves InstanceOrg references to their invites, one REST call per org', async () => {
    const result = await graphql<EntitiesData>(stack.graphqlUrl, ENTITIES, {
      variables: { representations: [ref(DEMO_ORG_ID), ref(DEMO_SECOND_ORG_ID)] },
    });
    expect(result.body.errors).toBeUndefined();
    const [first, second] = result.body.data!._entities;
    expect(first).toMatchObject({ instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, invites: { count: 7 } });
    expect(second!.invites!.items.map((i) => i.email)).toEqual(['alan@example.net', 'edsger@example.net', 'tony@example.net']);
    expect(stack.simulator.callsTo('GET')).toHaveLength(2);
  });

  test('three organizations, one unknown upstream: the other two keep their invites, the third its ids and its error', async () => {
    const unknown = 'ffffffffffffffffffffffff';
    const result = await graphql<EntitiesData>(stack.graphqlUrl, ENTITIES, {
      variables: { representations: [ref(DEMO_ORG_ID), ref(unknown), ref(DEMO_SECOND_ORG_ID)] },
    });
    const [first, failed, third] = result.body.data!._entities;
    expect(first).toMatchObject({ orgId: DEMO_ORG_ID, invites: { count: 7 } });
    expect(failed).toEqual({ instanceId: DEMO_INSTANCE_ID, orgId: unknown, invites: null });
    expect(third).toMatchObject({ orgId: DEMO_SECOND_ORG_ID, invites: { count: 3 } });
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0]).toMatchObject({ path: ['_entities', 1, 'invites'], extensions: { code: 'NOT_FOUND' } });
    expect(stack.simulator.callsTo('GET')).toHaveLength(3);
  });

  test('a repeated reference and the same list through orgInvites in one operation share one call', async () => {
    const query = `
      query($representations: [_Any!]!, $instanceId: ID!, $orgId: ID!) {
        _entities(representations: $representations) { ... on InstanceOrg { invites(sortField: EMAIL, sortDirection: ASC) { count } } }
        orgInvites(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC) { count }
      }`;
    const result = await graphql<{ _entities: Array<{ invites: { count: number } }>; orgInvites: { count: number } }>(
      stack.graphqlUrl,
      query,
      {
        variables: {
          representations: [ref(DEMO_ORG_ID), ref(DEMO_ORG_ID), ref(DEMO_ORG_ID)],
          instanceId: DEMO_INSTANCE_ID,
          orgId: DEMO_ORG_ID,
        },
      },
    );
    expect(result.body.data!._entities.map((e) => e.invites.count)).toEqual([7, 7, 7]);
    expect(result.body.data!.orgInvites.count).toBe(7);
    expect(stack.simulator.callsTo('GET')).toHaveLength(1);
  });

  test('an entity pages its invites through invitesConnection, its cursors valid for orgInvitesConnection of the same list, in one call', async () => {
    type Page = { edges: Array<{ node: { email: string } }>; pageInfo: { endCursor: string; hasNextPage: boolean } };
    const first = await graphql<{ _entities: Array<{ invitesConnection: Page }> }>(
      stack.graphqlUrl,
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on InstanceOrg {
              invitesConnection(sortField: EMAIL, sortDirection: ASC, first: 2) {
                edges {
                  node {
                    email
                  }
                }
                pageInfo {
                  endCursor
                  hasNextPage
                }
              }
            }
          }
        }
      `,
      { variables: { representations: [ref(DEMO_SECOND_ORG_ID), ref(DEMO_SECOND_ORG_ID)] } },
    );
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data!._entities[0].invitesConnection;
    expect(page.edges.map((edge) => edge.node.email)).toEqual(['alan@example.net', 'edsger@example.net']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(stack.simulator.callsTo('GET')).toHaveLength(1);
    const next = await graphql<{ orgInvitesConnection: Page }>(
      stack.graphqlUrl,
      `
        query ($instanceId: ID!, $orgId: ID!, $after: String) {
          orgInvitesConnection(instanceId: $instanceId, orgId: $orgId, sortField: EMAIL, sortDirection: ASC, first: 2, after: $after) {
            edges {
              node {
                email
              }
            }
            pageInfo {
              endCursor
              hasNextPage
            }
          }
        }
      `,
      { variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID, after: page.pageInfo.endCursor } },
    );
    expect(next.body.data!.orgInvitesConnection.edges.map((edge) => edge.node.email)).toEqual(['tony@example.net']);
  });

  test('a reference with a malformed id is a BAD_USER_INPUT for that entity, with no REST call', async () => {
    const result = await graphql<EntitiesData>(stack.graphqlUrl, ENTITIES, { variables: { representations: [ref('nope')] } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('the invites of an entity need the caller’s token like every read', async () => {
    const result = await graphql<EntitiesData>(stack.graphqlUrl, ENTITIES, {
      variables: { representations: [ref(DEMO_ORG_ID)] },
      token: null,
    });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});

describe('entity resolution across many organizations', () => {
  test.each([
    [1, 1],
    [3, 3],
    [8, 8],
  ])('with UPSTREAM_CONCURRENCY_PER_REQUEST=%i, 10 orgs make 10 calls and at most %i run at once', async (cap, expectedMax) => {
    const seed = tenOrgs();
    const stack = await startStack({ simulator: { seed }, env: { UPSTREAM_CONCURRENCY_PER_REQUEST: String(cap) } });
    try {
      // Each call waits long enough that calls which may overlap do, even while the gateway is
      // still opening its first connections to the upstream on a loaded machine.
      stack.simulator.faults.inject({ kind: 'delay', ms: 250 }, { times: 10 });
      const result = await graphql<EntitiesData>(stack.graphqlUrl, ENTITIES, {
        variables: { representations: seed.map((org) => ref(org.orgId)) },
      });
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data!._entities.map((e) => e!.invites!.items[0].email)).toEqual(seed.map((_, i) => `member${i}@example.com`));
      expect(stack.simulator.callsTo('GET')).toHaveLength(10);
      expect(stack.simulator.maxInFlight).toBe(expectedMax);
    } finally {
      await stack.close();
    }
  });
});
