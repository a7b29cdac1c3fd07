import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { GraphQLSchema, isObjectType, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { buildApiSchemaOnce, buildGatewaySchema } from '../../../src/graphql/buildGatewaySchema';
import { operationCachePolicy, typeAnnotationOf } from '../../../src/graphql/caching/operationCachePolicy';
import { ORG_MAX_AGE_SECONDS, READ_MAX_AGE_SECONDS } from '../../../src/graphql/caching/cacheHints';

/** Types federation adds, which carry no data of this gateway's. */
const FEDERATION_TYPES = new Set(['_Service']);

function policyOf(schema: GraphQLSchema, source: string): ReturnType<typeof operationCachePolicy> {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  return operationCachePolicy(schema, document, operation);
}

describe('cache hints in the schema', () => {
  test.each([
    ['the API schema', buildApiSchemaOnce],
    ['the subgraph schema', buildGatewaySchema],
  ])('every object type of %s says how long it may be kept (a new type without a hint fails here)', async (_name, build) => {
    const schema = await build();
    const roots = new Set([schema.getQueryType(), schema.getMutationType()].map((type) => type?.name));
    const unhinted = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__') && !roots.has(type.name) && !FEDERATION_TYPES.has(type.name))
      .filter((type) => {
        const own = typeAnnotationOf(type);
        return own.maxAge === undefined && !own.inheritMaxAge;
      })
      .map((type) => type.name);
    expect(unhinted).toEqual([]);
  });

  test('everything read with the caller’s token is PRIVATE', async () => {
    const schema = await buildGatewaySchema();
    for (const name of ['OrgInvite', 'OrgInviteCollection', 'InstanceOrg']) {
      const type = schema.getType(name);
      if (!type || !isObjectType(type)) throw new Error(`no type ${name}`);
      expect(typeAnnotationOf(type).scope).toBe('PRIVATE');
    }
  });

  test('the policy of an operation: reads, nested reads, mutations and meta fields', async () => {
    const schema = await buildGatewaySchema();
    expect(policyOf(schema, '{ orgInvites(instanceId: "a", orgId: "b") { count items { id dashboardRoles { role } } } }')).toEqual({
      maxAge: READ_MAX_AGE_SECONDS,
      scope: 'PRIVATE',
    });
    expect(policyOf(schema, '{ instanceOrg(instanceId: "a", orgId: "b") { orgId } }')).toEqual({
      maxAge: ORG_MAX_AGE_SECONDS,
      scope: 'PRIVATE',
    });
    expect(
      policyOf(schema, 'query Q { ...F } fragment F on Query { instanceOrg(instanceId: "a", orgId: "b") { invites { count } } }'),
    ).toEqual({ maxAge: READ_MAX_AGE_SECONDS, scope: 'PRIVATE' });
    expect(policyOf(schema, 'mutation { revokeInvite(instanceId: "a", orgId: "b", inviteId: "c") { success } }')).toEqual({
      maxAge: 0,
      scope: 'PRIVATE',
    });
    expect(policyOf(schema, '{ __typename }')).toEqual({});
    expect(policyOf(schema, '{ _service { sdl } }')).toEqual({ maxAge: 0 });
  });

  /**
   * The static policy is Apollo's: the same operations run through Apollo's own cache-control
   * plugin, which computes it field by field while graphql-js resolves them, end with the same
   * header. Only `@apollo/subgraph`'s `_entities` is left out: it hints by the entities resolved.
   */
  test.each([
    '{ instanceOrg(instanceId: "5f1e0a9b2c3d4e5f60718293", orgId: "5f1e0a9b2c3d4e5f60718294") { orgId } }',
    '{ instanceOrg(instanceId: "5f1e0a9b2c3d4e5f60718293", orgId: "5f1e0a9b2c3d4e5f60718294") { orgId instanceId } __typename }',
    '{ __typename }',
  ])('agrees with Apollo’s per-field computation for %s', async (source) => {
    const schema = await buildApiSchemaOnce();
    const apollo = new ApolloServer({ schema, plugins: [ApolloServerPluginCacheControl({ defaultMaxAge: 0 })] });
    await apollo.start();
    try {
      // Operations that call no upstream: this server has none.
      const response = await apollo.executeOperation({ query: source });
      const apolloHeader = response.http.headers.get('cache-control');
      const ours = policyOf(schema, source);
      const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
      expect(body?.errors).toBeUndefined();
      expect(apolloHeader).toBe(ours.maxAge ? `max-age=${ours.maxAge}, ${(ours.scope ?? 'PUBLIC').toLowerCase()}` : 'no-store');
    } finally {
      await apollo.stop();
    }
  });
});

test('declaring @cacheControl keeps graphql-js’s own directives (@skip, @include, @deprecated, @specifiedBy)', async () => {
  for (const schema of [await buildApiSchemaOnce(), await buildGatewaySchema()]) {
    const names = schema.getDirectives().map((directive) => directive.name);
    expect(names).toEqual(expect.arrayContaining(['skip', 'include', 'deprecated', 'specifiedBy', 'cacheControl']));
  }
});
