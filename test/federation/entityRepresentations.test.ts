import { graphql, GraphQLError, GraphQLSchema } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on InstanceOrg { instanceId orgId } ... on OrgInvite { id } }
}`;

const ORG = { __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

async function entities(representations: unknown[]) {
  // No context: a representation that passes the check would need one only to read invites.
  return graphql({ schema, source: ENTITIES, variableValues: { representations }, contextValue: {} });
}

function onlyError(result: { errors?: readonly GraphQLError[] }): GraphQLError {
  expect(result.errors).toHaveLength(1);
  return result.errors![0];
}

test('well-formed InstanceOrg representations resolve as before', async () => {
  const result = await entities([ORG, { ...ORG, extra: 'ignored' }]);
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    _entities: [
      { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID },
      { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID },
    ],
  });
});

test.each<[string, unknown, string, RegExp]>([
  ['a string', 'InstanceOrg', 'representations[1]', /must be an object/],
  ['an array', [ORG], 'representations[1]', /must be an object/],
  [
    'no __typename',
    { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID },
    'representations[1].__typename',
    /must name an entity type of this subgraph: InstanceOrg, OrgInvite/,
  ],
  ['a null __typename', { ...ORG, __typename: null }, 'representations[1].__typename', /entity type/],
  ['a numeric __typename', { ...ORG, __typename: 1 }, 'representations[1].__typename', /entity type/],
  [
    'a type that is not an entity',
    { __typename: 'OrgInviteCollection', orgId: DEMO_ORG_ID },
    'representations[1].__typename',
    /entity type/,
  ],
  ['the query type', { __typename: 'Query' }, 'representations[1].__typename', /entity type/],
  ['an unknown type', { __typename: 'Organization', id: DEMO_ORG_ID }, 'representations[1].__typename', /entity type/],
  [
    'a missing key field',
    { __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID },
    'representations[1].orgId',
    /is required \(a key field of InstanceOrg\)/,
  ],
  ['a null key field', { ...ORG, orgId: null }, 'representations[1].orgId', /is required/],
  [
    'a key field of the wrong type',
    { __typename: 'OrgInvite', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, id: 12 },
    'representations[1].id',
    /must be a string/,
  ],
])('%s: BAD_USER_INPUT naming where, for the whole field', async (_name, representation, argumentPath, message) => {
  const error = onlyError(await entities([ORG, representation]));
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath });
  expect(error.message).toMatch(message);
  expect(error.path).toEqual(['_entities']);
});

test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('__typename %j is no entity type', async (typename) => {
  // Parsed from JSON, so "__proto__" is an own property as a router's body would make it.
  const representation: unknown = JSON.parse(
    `{"__typename": ${JSON.stringify(typename)}, "instanceId": "${DEMO_INSTANCE_ID}", "orgId": "${DEMO_ORG_ID}"}`,
  );
  const error = onlyError(await entities([representation]));
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'representations[0].__typename' });
});

test('an inherited __typename does not count', async () => {
  const representation = Object.assign(Object.create({ __typename: 'InstanceOrg' }) as object, {
    instanceId: DEMO_INSTANCE_ID,
    orgId: DEMO_ORG_ID,
  });
  const error = onlyError(await entities([representation]));
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
});

test('a key field of the right type with a malformed id is left to the reference resolver', async () => {
  const result = await entities([ORG, { ...ORG, orgId: 'nope' }]);
  expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentPath: 'orgId' });
});
