import { Kind, OperationDefinitionNode, parse } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/buildGatewaySchema';
import { measureOperation } from '../../src/limits/measureOperation';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';

/** The upstream calls `measureOperation` counts for the first operation of `source`. */
async function upstreamCalls(source: string, variables: Record<string, unknown> = {}): Promise<number> {
  const schema = await buildGatewaySchema();
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, document, operation, variables).upstreamCalls;
}

const ORG_REF = { __typename: 'InstanceOrg', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const INVITE_REF = { __typename: 'OrgInvite', instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID, id: 'a'.repeat(24) };
const ENTITIES = (selection: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } } fragment Lists on InstanceOrg { invites { count } }`;

describe('measureOperation under _entities: each representation by its own type', () => {
  test('a representation selecting two upstream fields counts two, times the representations', async () => {
    expect(await upstreamCalls(ENTITIES('... on InstanceOrg { invites { count } byEmail: invites(sortField: EMAIL) { count } }'), { r: [ORG_REF, ORG_REF, ORG_REF] })).toBe(6);
  });

  test('a fragment spread on another type than the representation\'s counts nothing for it', async () => {
    // OrgInvite references are read upstream (1 each); the InstanceOrg fragment does not apply to them.
    expect(await upstreamCalls(ENTITIES('...Lists'), { r: [INVITE_REF, INVITE_REF] })).toBe(2);
  });

  test('one fragment spread under representations of two types is measured for each type apart', async () => {
    const source = `query($r: [_Any!]!) { _entities(representations: $r) { ...Both } }
      fragment Both on _Entity { ... on InstanceOrg { invites { count } } ... on OrgInvite { email } }`;
    // The InstanceOrg: its invites (1). The OrgInvite: its reference read (1), email calls nothing.
    expect(await upstreamCalls(source, { r: [ORG_REF, INVITE_REF] })).toBe(2);
    expect(await upstreamCalls(source, { r: [INVITE_REF, ORG_REF] })).toBe(2);
  });

  test('selections on the _Entity union apply to each of its types', async () => {
    expect(await upstreamCalls(ENTITIES('... on _Entity { ... on InstanceOrg { invites { count } } }'), { r: [ORG_REF, ORG_REF] })).toBe(2);
  });

  test('a single representation where a list is expected counts as a list of one; null or none counts nothing', async () => {
    const literal = `{ _entities(representations: { __typename: "InstanceOrg", instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}" }) { ...Lists } } fragment Lists on InstanceOrg { invites { count } }`;
    expect(await upstreamCalls(literal)).toBe(1);
    expect(await upstreamCalls(ENTITIES('...Lists'), { r: ORG_REF })).toBe(1);
    expect(await upstreamCalls(ENTITIES('...Lists'), { r: null })).toBe(0);
    expect(await upstreamCalls(ENTITIES('...Lists'), {})).toBe(0);
  });
});
