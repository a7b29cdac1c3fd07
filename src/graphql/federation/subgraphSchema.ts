import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { graphql, GraphQLSchema, isObjectType, parse } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { checkEntityRepresentations } from './entityRepresentations';
import { REFERENCE_RESOLVERS } from './referenceResolvers';
import { withRouterDirectives } from './routerDirectives';

/**
 * The Federation 2 spec this subgraph links to, and the directives it uses: entity keys, and the
 * router's cost and access directives (`routerDirectives.ts`), which need v2.9 or later.
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable", "@cost", "@listSize", "@requiresScopes"])';

/**
 * Turns the type-graphql schema into an Apollo Federation 2 subgraph: print it with its `@key`
 * directives, add the router's cost and scope directives from the upstream-call marks, let
 * `@apollo/subgraph` add `_service` and `_entities`, and keep type-graphql's
 * resolvers (plus `__resolveReference`). This is the approach of type-graphql's federation example.
 * `_entities` then checks each representation against the entity types' keys before resolving.
 */
export function toSubgraphSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  const resolvers = createResolversMap(apiSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(REFERENCE_RESOLVERS)) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference };
  }
  const subgraph = buildSubgraphSchema({
    typeDefs: withRouterDirectives(parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(apiSchema)}`), apiSchema),
    // @apollo/subgraph's resolver map type is looser than type-graphql's output; the shapes match.
    resolvers: resolvers as Parameters<typeof buildSubgraphSchema>[0] extends { resolvers?: infer R } ? R : never,
  });
  keepExtensions(apiSchema, subgraph);
  checkEntityRepresentations(subgraph);
  return subgraph;
}

type WithExtensions = { extensions: Readonly<Record<string, unknown>> };

/**
 * The SDL round trip drops type-graphql's `@Extensions` (the upstream-call markers the limits read
 * among them); they are copied onto the subgraph's object types and fields, next to what
 * @apollo/subgraph itself keeps there (`__resolveReference`), as @apollo/subgraph does.
 */
function keepExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const source of Object.values(from.getTypeMap())) {
    const target = to.getType(source.name);
    if (!isObjectType(source) || !isObjectType(target)) continue;
    (target as WithExtensions).extensions = { ...source.extensions, ...target.extensions };
    const targetFields = target.getFields();
    for (const [name, field] of Object.entries(source.getFields())) {
      const targetField = targetFields[name];
      if (targetField) (targetField as WithExtensions).extensions = { ...field.extensions, ...targetField.extensions };
    }
  }
}

/**
 * The SDL this subgraph answers to `_service { sdl }` (what composition and schema registries
 * read), as committed in `schema/subgraph.graphql`. Asked of the schema itself, so the file is
 * exactly what a router would fetch.
 */
export async function printSubgraphSdl(subgraphSchema: GraphQLSchema): Promise<string> {
  const result = await graphql({ schema: subgraphSchema, source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: string } } | null | undefined)?._service?.sdl;
  if (!sdl) throw new Error(`the subgraph did not answer _service { sdl }: ${JSON.stringify(result.errors)}`);
  return `${sdl.trim()}\n`;
}
