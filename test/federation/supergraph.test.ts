import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Kind, parse, print } from 'graphql';
import { ASSUMED_LIST_SIZES, UPSTREAM_CALL_COST } from '../../src/graphql/federation/routerDirectives';
import { ACTION_SCOPES } from '../../src/rest/actionScopes';
import { UpstreamAction } from '../../src/rest/upstreamActions';
import { DEMO_TOKENS, errorCodes, graphql, startStack, TestStack } from '../support/stack';
import { SUBGRAPH_SDL, subgraphSdlForApolloGateway } from '../support/subgraphSdl';
import { composeSubgraphs } from '../support/supergraph';
import { ORGS, ORGS_SUBGRAPH_SDL, startOrgsSubgraph } from './orgsSubgraph';

/**
 * The subgraph composed with another team's subgraph, then served by a real @apollo/gateway in
 * front of both running subgraphs, as a platform team would deploy it.
 */

/**
 * The committed SDL composed with the organizations subgraph; `forApolloGateway` leaves out
 * `@requiresScopes`, which @apollo/gateway refuses (see the test below).
 */
function compose(invitesUrl: string, orgsUrl: string, { forApolloGateway = false } = {}) {
  return composeSubgraphs([
    { name: 'invites', sdl: forApolloGateway ? print(subgraphSdlForApolloGateway()) : SUBGRAPH_SDL, url: invitesUrl },
    { name: 'orgs', sdl: ORGS_SUBGRAPH_SDL, url: orgsUrl },
  ]);
}

test('the committed subgraph SDL composes with an organizations subgraph, without errors and with two known hints', () => {
  const result = compose('http://invites.invalid/graphql', 'http://orgs.invalid/graphql');
  expect(result.errors ?? []).toEqual([]);
  // The only hints, both unused enums. ErrorCode is in the schema for clients' generated types
  // although no field returns it (codes travel in errors[].extensions.code). CacheControlScope is
  // the argument type of @cacheControl, which composition leaves out of the supergraph (routers
  // read the subgraph's Cache-Control header, not the hints). Composition keeps both, as wanted.
  expect((result.hints ?? []).map((hint) => hint.definition.code)).toEqual(['UNUSED_ENUM_TYPE', 'UNUSED_ENUM_TYPE']);
  expect((result.hints ?? []).map((hint) => /"(\w+)"/.exec(hint.message)?.[1]).sort()).toEqual(['CacheControlScope', 'ErrorCode']);
  expect(result.supergraphSdl).toContain('type InstanceOrg');
  expect(result.supergraphSdl).not.toContain('@cacheControl');
});

/** Each applied directive of `Type.field` in an SDL, as `name(args)` printed. */
function directivesOf(sdl: string, coordinate: string): string[] {
  const [typeName, fieldName] = coordinate.split('.');
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== typeName) continue;
    const field = definition.fields?.find((candidate) => candidate.name.value === fieldName);
    return (field?.directives ?? []).map(print);
  }
  return [];
}

const scopesOf = (action: UpstreamAction) =>
  `@requiresScopes(scopes: [${ACTION_SCOPES[action].map((scope) => `["${scope}"]`).join(', ')}])`;

test('the supergraph keeps the invites fields’ @cost, @listSize and @requiresScopes for the router', () => {
  const { supergraphSdl } = compose('http://invites.invalid/graphql', 'http://orgs.invalid/graphql');
  if (!supergraphSdl) throw new Error('composition failed');
  const cost = `@cost(weight: ${UPSTREAM_CALL_COST})`;
  const expected: Record<string, string[]> = {
    'Query.orgInvites': [cost, scopesOf(UpstreamAction.listInvites)],
    'InstanceOrg.invites': [cost, scopesOf(UpstreamAction.listInvites)],
    'Query.orgInvite': [cost, scopesOf(UpstreamAction.getInvite)],
    'Mutation.inviteMember': [cost, scopesOf(UpstreamAction.inviteMember)],
    'Mutation.revokeInvite': [cost, scopesOf(UpstreamAction.revokeInvite)],
    'Mutation.resendInvite': [cost, scopesOf(UpstreamAction.resendInvite)],
    'OrgInviteCollection.items': [`@listSize(assumedSize: ${ASSUMED_LIST_SIZES.OrgInvite})`],
    'OrgInvite.applicationRoles': [`@listSize(assumedSize: ${ASSUMED_LIST_SIZES.ResourceRoleGrant})`],
    'Query.instanceOrg': [],
  };
  for (const [coordinate, directives] of Object.entries(expected)) {
    const found = directivesOf(supergraphSdl, coordinate).filter((directive) => !directive.startsWith('@join__'));
    expect({ coordinate, directives: found.sort() }).toEqual({ coordinate, directives: [...directives].sort() });
  }
  // The router reads them under the specs' own names.
  expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/cost/v0.1"');
  expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
});

test('@apollo/gateway, which enforces no scopes, refuses the supergraph with @requiresScopes rather than serve it unprotected', async () => {
  const { supergraphSdl } = compose('http://invites.invalid/graphql', 'http://orgs.invalid/graphql');
  if (!supergraphSdl) throw new Error('composition failed');
  await expect(new ApolloGateway({ supergraphSdl }).load()).rejects.toThrow(/requiresScopes.*SECURITY|SECURITY.*requiresScopes/s);
});

/** Forwards the end user's Authorization header to every subgraph: the REST upstream needs it. */
class ForwardAuthorization extends RemoteGraphQLDataSource<{ authorization?: string }> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<{ authorization?: string }>): void {
    // Typed `any` for the gateway's own health checks and schema loads, which carry no caller.
    if (typeof context.authorization === 'string') request.http?.headers.set('authorization', context.authorization);
  }
}

/** A real @apollo/gateway serving the composition of both running subgraphs. */
async function startSupergraph(invitesUrl: string, orgsUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const composed = compose(invitesUrl, orgsUrl, { forApolloGateway: true });
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${JSON.stringify(composed.errors)}`);
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ url }) => new ForwardAuthorization({ url }),
  });
  const server = new ApolloServer<{ authorization?: string }>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}

describe('through @apollo/gateway', () => {
  let stack: TestStack;
  let orgs: Awaited<ReturnType<typeof startOrgsSubgraph>>;
  let supergraph: Awaited<ReturnType<typeof startSupergraph>>;
  let gatewayUrl: string;

  beforeAll(async () => {
    stack = await startStack();
    orgs = await startOrgsSubgraph();
    supergraph = await startSupergraph(stack.graphqlUrl, orgs.url);
    gatewayUrl = supergraph.url;
  });

  afterAll(async () => {
    await supergraph?.stop();
    await orgs?.stop();
    await stack?.close();
  });

  beforeEach(() => {
    stack.simulator.requests.length = 0;
  });

  const CROSSING_QUERY = `
    query OrgsWithInvites {
      organizations {
        name
        orgId
        invites(sortField: EMAIL, sortDirection: ASC, filterField: ROLE, filter: "*") { count items { email role } }
      }
    }`;

  test('a query crossing both subgraphs returns each organization’s invites, one REST call per org', async () => {
    const result = await graphql<{
      organizations: Array<{ name: string; orgId: string; invites: { count: number; items: Array<{ email: string }> } }>;
    }>(gatewayUrl, CROSSING_QUERY);
    expect(result.body.errors).toBeUndefined();
    const organizations = result.body.data!.organizations;
    expect(organizations.map((o) => o.name)).toEqual(ORGS.map((o) => o.name));
    for (const org of organizations) {
      const held = stack.simulator.store.invites(ORGS[0].instanceId, org.orgId)!;
      expect(org.invites.count).toBe(held.length);
      expect(org.invites.items.map((i) => i.email)).toEqual(held.map((i) => i.email).sort());
    }
    const gets = stack.simulator.callsTo('GET');
    expect(gets).toHaveLength(ORGS.length);
    // The end user's token went through the gateway and the subgraph to the REST upstream.
    for (const get of gets) expect(get.headers.authorization).toBe(`Bearer ${DEMO_TOKENS.admin}`);
  });

  test('without a token the invites fields fail with UNAUTHENTICATED and the names still arrive', async () => {
    const result = await graphql<{ organizations: Array<{ name: string; invites: unknown }> | null }>(
      gatewayUrl,
      `
        {
          organizations {
            name
            invites {
              count
            }
          }
        }
      `,
      {
        token: null,
      },
    );
    expect(errorCodes(result)).toContain('UNAUTHENTICATED');
    expect(result.body.data).toEqual({ organizations: ORGS.map((org) => ({ name: org.name, invites: null })) });
    expect(stack.simulator.requests).toHaveLength(0);
  });

  test('a token with a different scope is forwarded as is and the upstream decides (FORBIDDEN)', async () => {
    const result = await graphql(
      gatewayUrl,
      `
        {
          organizations {
            name
            invites {
              count
            }
          }
        }
      `,
      { token: DEMO_TOKENS.noInvites },
    );
    expect(errorCodes(result)).toContain('FORBIDDEN');
    expect(stack.simulator.callsTo('GET').every((get) => get.headers.authorization === `Bearer ${DEMO_TOKENS.noInvites}`)).toBe(true);
  });
});

describe('through @apollo/gateway, one organization failing', () => {
  // The organizations subgraph lists one organization the REST upstream does not know (deleted
  // there, say): its invites fail with NOT_FOUND, and the two others must still arrive.
  const LISTED = [ORGS[0], { instanceId: ORGS[0].instanceId, orgId: 'ffffffffffffffffffffffff', name: 'Gone Ltd' }, ORGS[1]];
  let stack: TestStack;
  let orgs: Awaited<ReturnType<typeof startOrgsSubgraph>>;
  let supergraph: Awaited<ReturnType<typeof startSupergraph>>;

  beforeAll(async () => {
    stack = await startStack();
    orgs = await startOrgsSubgraph(LISTED);
    supergraph = await startSupergraph(stack.graphqlUrl, orgs.url);
  });

  afterAll(async () => {
    await supergraph?.stop();
    await orgs?.stop();
    await stack?.close();
  });

  test('the other organizations keep their invites; the failing one is listed with invites null and its error', async () => {
    const result = await graphql<{ organizations: Array<{ name: string; orgId: string; invites: { count: number } | null }> }>(
      supergraph.url,
      `
        {
          organizations {
            name
            orgId
            invites {
              count
            }
          }
        }
      `,
    );
    const held = (orgId: string) => stack.simulator.store.invites(ORGS[0].instanceId, orgId)!.length;
    expect(result.body.data).toEqual({
      organizations: [
        { name: LISTED[0].name, orgId: LISTED[0].orgId, invites: { count: held(LISTED[0].orgId) } },
        { name: 'Gone Ltd', orgId: LISTED[1].orgId, invites: null },
        { name: LISTED[2].name, orgId: LISTED[2].orgId, invites: { count: held(LISTED[2].orgId) } },
      ],
    });
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0]).toMatchObject({ path: ['organizations', 1, 'invites'], extensions: { code: 'NOT_FOUND' } });
    expect(stack.simulator.callsTo('GET')).toHaveLength(3);
  });
});
