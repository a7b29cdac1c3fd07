import { GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import './enums';
import { ErrorCodeEnum } from './errorCodeEnum';
import { addQueryFieldToPayloads } from './payloadQueryField';
import { InviteMemberResolver } from './resolvers/InviteMemberResolver';
import { OrgInvitesResolver } from './resolvers/OrgInvitesResolver';

export const resolvers = [OrgInvitesResolver, InviteMemberResolver] as const;

let built: Promise<GraphQLSchema> | undefined;

async function build(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    // Arguments are checked by the gateway's own validation, which names the argument path.
    validate: false,
  });
  const config = schema.toConfig();
  return addQueryFieldToPayloads(new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] }));
}

/** Builds the executable schema from the decorated classes; built once per process. */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  built ??= build();
  return built;
}

/** The SDL committed as `schema/schema.graphql`; fields and arguments keep their order in the code. */
export async function printGatewaySchema(): Promise<string> {
  return `${printSchema(await buildGatewaySchema())}\n`;
}
