import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema } from 'graphql';

/** Mutation payload types that get a `query` field. */
const PAYLOAD_SUFFIX = 'Payload';

/**
 * Adds `query: Query!` to every mutation payload (the convention Relay and PostGraphile use), so a
 * client can read lists after a mutation in the same operation:
 * `inviteMember(...) { invite { id } query { orgInvites(...) { count } } }`. Those reads go
 * through the same per-request loader, whose entries the mutation cleared, so they see its effect.
 * type-graphql cannot name the root `Query` type as a field type, hence this step after it.
 */
export function addQueryFieldToPayloads(schema: GraphQLSchema): GraphQLSchema {
  const queryTypeName = schema.getQueryType()?.name;
  if (!queryTypeName) return schema;
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      if (!type.name.endsWith(PAYLOAD_SUFFIX)) return type;
      const config = type.toConfig();
      return new GraphQLObjectType({
        ...config,
        fields: () => ({
          ...config.fields,
          query: {
            // mapSchema rewires this reference to the rebuilt Query type.
            type: new GraphQLNonNull(schema.getQueryType() as GraphQLObjectType),
            description: 'The query root, to read data after the mutation in the same operation.',
            resolve: () => ({}),
          },
        }),
      });
    },
  });
}
