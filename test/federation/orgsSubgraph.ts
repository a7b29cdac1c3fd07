import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID } from '../../src/simulator/demoData';

/**
 * A second subgraph, as another team would write it: it owns organizations and their names and
 * knows nothing of invites. Composed with this gateway's subgraph, its organizations gain `invites`.
 */
export const ORGS_SUBGRAPH_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])

  type Query {
    "Every organization this subgraph knows."
    organizations: [InstanceOrg!]!
  }

  type InstanceOrg @key(fields: "instanceId orgId") {
    instanceId: ID!
    orgId: ID!
    "Display name of the organization."
    name: String!
  }
`;

export const ORGS = [
  { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, name: 'Acme Robotics' },
  { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_SECOND_ORG_ID, name: 'Globex Sensors' },
  { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_EMPTY_ORG_ID, name: 'Initech Labs' },
];

/** Serves `orgs` (the three demo organizations unless told otherwise) on a free loopback port. */
export async function startOrgsSubgraph(
  orgs: ReadonlyArray<(typeof ORGS)[number]> = ORGS,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(ORGS_SUBGRAPH_SDL),
      resolvers: {
        Query: { organizations: () => orgs },
        InstanceOrg: {
          __resolveReference: (ref: { instanceId: string; orgId: string }) =>
            orgs.find((org) => org.instanceId === ref.instanceId && org.orgId === ref.orgId) ?? null,
        },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
