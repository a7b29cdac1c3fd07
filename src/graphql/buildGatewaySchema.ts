import { GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import './enums';
import { ErrorCodeEnum } from './errorCodeEnum';
import { printSubgraphSdl, toSubgraphSchema } from './federation/subgraphSchema';
import { addQueryFieldToPayloads } from './payloadQueryField';
// type-graphql lists `Query` and `Mutation` fields in the order their resolver classes were
// declared, that is in the order these modules load: kept in schema order (the committed-schema
// test fails when it changes).
import { OrgInvitesResolver } from './resolvers/OrgInvitesResolver';
import { InstanceOrgResolver } from './resolvers/InstanceOrgResolver';
import { OrgInviteResolver } from './resolvers/OrgInviteResolver';
import { InviteMemberResolver } from './resolvers/InviteMemberResolver';
import { InviteLifecycleResolver } from './resolvers/InviteLifecycleResolver';

export const resolvers = [
  OrgInvitesResolver,
  InstanceOrgResolver,
  OrgInviteResolver,
  InviteMemberResolver,
  InviteLifecycleResolver,
] as const;

let apiSchema: Promise<GraphQLSchema> | undefined;
let servedSchema: Promise<GraphQLSchema> | undefined;

async function buildApiSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    // Arguments are checked by the gateway's own validation, which names the argument path.
    validate: false,
  });
  const config = schema.toConfig();
  return addQueryFieldToPayloads(new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] }));
}

/** The client-facing schema, without federation's additions; built once per process. */
export function buildApiSchemaOnce(): Promise<GraphQLSchema> {
  apiSchema ??= buildApiSchema();
  return apiSchema;
}

/** The schema the server executes: the API schema as a Federation 2 subgraph (`_service`, `_entities`). */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  servedSchema ??= buildApiSchemaOnce().then(toSubgraphSchema);
  return servedSchema;
}

/** `schema/schema.graphql`: what clients and code generators see; order as in the code. */
export async function printGatewaySchema(): Promise<string> {
  return `${printSchema(await buildApiSchemaOnce())}\n`;
}

/** `schema/subgraph.graphql`: the federation SDL, for composition and schema registries. */
export async function printSubgraphSchemaSdl(): Promise<string> {
  return printSubgraphSdl(await buildGatewaySchema());
}
