import { composeServices } from '@apollo/composition';
import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Trace } from '@apollo/usage-reporting-protobuf';
import { GraphQLObjectType, parse } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { DEMO_TOKENS, graphql, GraphQLResult, startStack, TestStack } from '../support/stack';
import { DEMO_ORG, LIST_INVITES } from '../support/operations';
import { subgraphSdlForApolloGateway } from '../support/subgraphSdl';
import { ORGS, ORGS_SUBGRAPH_SDL, startOrgsSubgraph } from './orgsSubgraph';

/**
 * Federated tracing (ftv1): a router that sends `apollo-federation-include-trace: ftv1` gets the
 * subgraph's inline trace in `extensions.ftv1`; nobody else gets anything added.
 */

const FTV1 = { 'apollo-federation-include-trace': 'ftv1' };
const UNKNOWN_TOKEN = 'demo-unknown-token-5d2f7a9c';

/** The response's inline trace, decoded as a router decodes it. */
function inlineTrace(result: GraphQLResult<unknown>): Trace {
  const { extensions } = result.body as { extensions?: Record<string, unknown> };
  if (typeof extensions?.ftv1 !== 'string') throw new Error(`no ftv1 extension in ${JSON.stringify(extensions)}`);
  return Trace.decode(Buffer.from(extensions.ftv1, 'base64'));
}

/** Response names of the trace's nodes, depth first ("orgInvites", "orgInvites.items", ...). */
function fieldPaths(node: Trace.INode | null | undefined, prefix = ''): string[] {
  return (node?.child ?? []).flatMap((child) => {
    const name = child.responseName ? `${prefix}${child.responseName}` : `${prefix}${child.index ?? ''}`;
    return [...(child.responseName ? [name] : []), ...fieldPaths(child, `${name}.`)];
  });
}

function errorsOf(node: Trace.INode | null | undefined): Trace.IError[] {
  return [...(node?.error ?? []), ...(node?.child ?? []).flatMap(errorsOf)];
}

describe('the subgraph on its own', () => {
  let stack: TestStack;
  let plain: TestStack;

  beforeAll(async () => {
    stack = await startStack();
    plain = await startStack({ env: { FEDERATED_TRACES: 'false' } });
  });
  afterAll(async () => {
    await stack?.close();
    await plain?.close();
  });

  test('with the header, the answer carries the trace of every resolved field; without it, no extension at all', async () => {
    // Asked without the header first, so the operation is compiled before any trace is asked for.
    const untraced = await graphql(stack.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG });
    expect(untraced.body.errors).toBeUndefined();
    expect(untraced.body).not.toHaveProperty('extensions');

    const traced = await graphql(stack.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, headers: FTV1 });
    expect(traced.body.errors).toBeUndefined();
    expect(traced.body.data).toEqual(untraced.body.data);
    const trace = inlineTrace(traced);
    expect(Number(trace.durationNs)).toBeGreaterThan(0);
    expect(fieldPaths(trace.root)).toEqual(
      expect.arrayContaining(['orgInvites', 'orgInvites.count', 'orgInvites.items', 'orgInvites.items.0.email']),
    );

    const again = await graphql(stack.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG });
    expect(again.body).not.toHaveProperty('extensions');
  });

  test('timing fields for a trace leaves the executed schema as it was: plain fields keep no resolver, for what is compiled later', async () => {
    await graphql(
      stack.graphqlUrl,
      '{ orgInvites(instanceId: "5f1e0a9b2c3d4e5f60718293", orgId: "5f1e0a9b2c3d4e5f60718294") { items { email } } }',
      { headers: FTV1 },
    );
    const invite = (await buildGatewaySchema()).getType('OrgInvite') as GraphQLObjectType;
    expect(invite.getFields().email.resolve).toBeUndefined();
  });

  test("errors reach the trace as clients see them: the gateway's own with their message, anything else masked, never a token", async () => {
    const unauthenticated = await graphql(stack.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, token: UNKNOWN_TOKEN, headers: FTV1 });
    const [error] = errorsOf(inlineTrace(unauthenticated).root);
    expect(error.message).toBe(unauthenticated.body.errors?.[0].message);
    expect(JSON.parse(String(error.json))).toMatchObject({ path: ['orgInvites'], extensions: { code: 'UNAUTHENTICATED' } });

    const invalid = await graphql(stack.graphqlUrl, '{ orgInvites(instanceId: "x", orgId: "y") { cuont } }', { headers: FTV1 });
    expect(invalid.body.errors?.[0].message).toContain('Did you mean');
    const [masked] = errorsOf(inlineTrace(invalid).root);
    expect(masked.message).toBe('<masked>');
    expect(JSON.parse(String(masked.json))).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', maskedBy: 'invites-gateway' },
    });

    for (const result of [unauthenticated, invalid])
      expect(JSON.stringify(Trace.toObject(inlineTrace(result)))).not.toContain(UNKNOWN_TOKEN);
  });

  test('FEDERATED_TRACES=false answers the header with nothing', async () => {
    const result = await graphql(plain.graphqlUrl, LIST_INVITES, { variables: DEMO_ORG, headers: FTV1 });
    expect(result.body.errors).toBeUndefined();
    expect(result.body).not.toHaveProperty('extensions');
  });
});

/** Forwards the end user's Authorization header to every subgraph: the REST upstream needs it. */
class ForwardAuthorization extends RemoteGraphQLDataSource<{ authorization?: string }> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<{ authorization?: string }>): void {
    // @apollo/gateway types the context loosely; this gateway's context holds the header or nothing.
    const { authorization } = context as { authorization?: string };
    if (authorization) request.http?.headers.set('authorization', authorization);
  }
}

describe('through @apollo/gateway', () => {
  let stack: TestStack;
  let orgs: Awaited<ReturnType<typeof startOrgsSubgraph>>;
  let gatewayServer: ApolloServer<{ authorization?: string }>;
  let gatewayUrl: string;
  /** The query plan's trace of the latest operation, as the gateway assembled it from the subgraphs' ftv1. */
  let queryPlanTrace: Trace.IQueryPlanNode | undefined;

  /**
   * What Apollo's usage reporting does for the operations it samples, without sending anything to
   * Apollo: ask the subgraphs for their traces (the gateway then sends the ftv1 header).
   */
  const captureTraces: ApolloServerPlugin<{ authorization?: string }> = {
    async requestDidStart({ metrics }) {
      metrics.captureTraces = true;
      return {
        async willSendResponse({ metrics: done }) {
          queryPlanTrace = done.queryPlanTrace;
        },
      };
    },
  };

  beforeAll(async () => {
    stack = await startStack();
    orgs = await startOrgsSubgraph();
    const composed = composeServices([
      { name: 'invites', typeDefs: subgraphSdlForApolloGateway(), url: stack.graphqlUrl },
      { name: 'orgs', typeDefs: parse(ORGS_SUBGRAPH_SDL), url: orgs.url },
    ]);
    if (!composed.supergraphSdl) throw new Error(`composition failed: ${JSON.stringify(composed.errors)}`);
    gatewayServer = new ApolloServer<{ authorization?: string }>({
      gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, buildService: ({ url }) => new ForwardAuthorization({ url }) }),
      plugins: [captureTraces],
    });
    ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({ authorization: req.headers.authorization }),
    }));
  });

  afterAll(async () => {
    await gatewayServer?.stop();
    await orgs?.stop();
    await stack?.close();
  });

  /** Every fetch node of a query plan trace, in order. */
  function fetches(node: Trace.IQueryPlanNode | null | undefined): Trace.QueryPlanNode.IFetchNode[] {
    if (!node) return [];
    if (node.fetch) return [node.fetch];
    if (node.flatten) return fetches(node.flatten.node);
    return [...(node.sequence?.nodes ?? []), ...(node.parallel?.nodes ?? [])].flatMap(fetches);
  }

  test("the gateway asks for ftv1 and gets this subgraph's trace, for a root field and for entities; the client gets none", async () => {
    const result = await graphql(
      gatewayUrl,
      '{ organizations { name invites(sortField: EMAIL, sortDirection: ASC) { count items { email } } } }',
      { token: DEMO_TOKENS.admin },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body).not.toHaveProperty('extensions');
    const [orgsFetch, invitesFetch] = fetches(queryPlanTrace);
    // The other subgraph has inline traces off: its fetch comes back without one.
    expect(orgsFetch).toMatchObject({ serviceName: 'orgs', traceParsingFailed: false });
    expect(orgsFetch.trace).toBeFalsy();
    expect(invitesFetch).toMatchObject({ serviceName: 'invites', traceParsingFailed: false });
    expect(fieldPaths(invitesFetch.trace?.root)).toEqual(
      expect.arrayContaining(['_entities', `_entities.${ORGS.length - 1}.invites`, '_entities.0.invites.items.0.email']),
    );

    const root = await graphql(
      gatewayUrl,
      `
        query ListInvites($instanceId: ID!, $orgId: ID!) {
          orgInvites(instanceId: $instanceId, orgId: $orgId) {
            count
          }
        }
      `,
      { variables: DEMO_ORG },
    );
    expect(root.body.errors).toBeUndefined();
    const [rootFetch] = fetches(queryPlanTrace);
    expect(rootFetch).toMatchObject({ serviceName: 'invites', traceParsingFailed: false });
    expect(fieldPaths(rootFetch.trace?.root)).toEqual(['orgInvites', 'orgInvites.count']);
  });
});
