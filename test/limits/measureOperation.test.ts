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
const ENTITIES = (selection: string) =>
  `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } } fragment Lists on InstanceOrg { invites { count } }`;

describe('measureOperation under _entities: each representation by its own type', () => {
  test('a representation selecting two upstream fields counts two, times the representations', async () => {
    expect(
      await upstreamCalls(ENTITIES('... on InstanceOrg { invites { count } byEmail: invites(sortField: EMAIL) { count } }'), {
        r: [ORG_REF, ORG_REF, ORG_REF],
      }),
    ).toBe(6);
  });

  test("a fragment spread on another type than the representation's counts nothing for it", async () => {
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

describe('measureOperation reads the values execution will use, however they are written', () => {
  const ORG_LITERAL = `{ __typename: "InstanceOrg", instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}" }`;
  const listsOf = (representations: string) => `_entities(representations: ${representations}) { ...Lists }`;
  const FRAGMENT = 'fragment Lists on InstanceOrg { invites { count } }';

  test("representations given as a variable's default count as if sent as the variable; a sent value replaces the default", async () => {
    const source = `query($r: [_Any!]! = [${ORG_LITERAL}, ${ORG_LITERAL}, ${ORG_LITERAL}]) { ${listsOf('$r')} } ${FRAGMENT}`;
    expect(await upstreamCalls(source)).toBe(3);
    expect(await upstreamCalls(source, { r: [ORG_REF] })).toBe(1);
    // A single default where the list is expected is a list of one, as for a sent value.
    expect(await upstreamCalls(`query($r: [_Any!]! = ${ORG_LITERAL}) { ${listsOf('$r')} } ${FRAGMENT}`)).toBe(1);
  });

  test('variables and defaults inside a literal list count as the values they stand for', async () => {
    expect(await upstreamCalls(`query($o: _Any!) { ${listsOf('[$o, $o]')} } ${FRAGMENT}`, { o: ORG_REF })).toBe(2);
    expect(await upstreamCalls(`query($o: _Any = ${ORG_LITERAL}) { ${listsOf(`[$o, $o, ${ORG_LITERAL}]`)} } ${FRAGMENT}`)).toBe(3);
  });

  test('a list given as one representation (a nested list) counts as a representation of every entity type', async () => {
    // Refused unresolved by the representation check, but counted as the most it could cost.
    const source = `query($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { invites { count } } } }`;
    expect(await upstreamCalls(source, { r: [[ORG_REF, ORG_REF]] })).toBe(2);
  });

  test('@skip and @include leave out what execution leaves out, read with defaults and variables', async () => {
    const skipped = `query($s: Boolean = true) { a: orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") @skip(if: $s) { count } }`;
    expect(await upstreamCalls(skipped)).toBe(0);
    expect(await upstreamCalls(skipped, { s: false })).toBe(1);
    const spreads = `query($r: [_Any!]! = [${ORG_LITERAL}, ${ORG_LITERAL}], $i: Boolean = false) {
      _entities(representations: $r) { ...Lists @include(if: $i) ... on InstanceOrg @include(if: $i) { b: invites(sortField: EMAIL) { count } } } } ${FRAGMENT}`;
    expect(await upstreamCalls(spreads)).toBe(0);
    expect(await upstreamCalls(spreads, { i: true })).toBe(4);
  });

  test('variables that do not coerce leave _entities no representations to count (execution refuses the operation before any resolver)', async () => {
    const source = `query($r: [_Any!]! = [${ORG_LITERAL}]) { ${listsOf('$r')} } ${FRAGMENT}`;
    expect(await upstreamCalls(source, { r: null })).toBe(0);
  });
});

describe('measureOperation measures a document once when no variable can change its measure', () => {
  const parsed = (source: string) => {
    const document = parse(source);
    return { document, operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)! };
  };

  test('the same document sent again gets the measure made the first time, whatever its variables', async () => {
    const schema = await buildGatewaySchema();
    const { document, operation } = parsed(
      `query($o: ID!) { a: orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: $o) { count } b: orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: $o) { count } }`,
    );
    const first = measureOperation(schema, document, operation, { o: DEMO_ORG_ID });
    expect(first.upstreamCalls).toBe(2);
    expect(measureOperation(schema, document, operation, { o: 'b'.repeat(24) })).toBe(first);
  });

  test("a document whose directives or representations read variables is measured with each request's", async () => {
    const schema = await buildGatewaySchema();
    const skipped = parsed(
      `query($s: Boolean!) { orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") @skip(if: $s) { count } }`,
    );
    expect(measureOperation(schema, skipped.document, skipped.operation, { s: true }).upstreamCalls).toBe(0);
    expect(measureOperation(schema, skipped.document, skipped.operation, { s: false }).upstreamCalls).toBe(1);
    const entities = parsed('query($r: [_Any!]!) { _entities(representations: $r) { ... on InstanceOrg { invites { count } } } }');
    expect(measureOperation(schema, entities.document, entities.operation, { r: [ORG_REF] }).upstreamCalls).toBe(1);
    expect(measureOperation(schema, entities.document, entities.operation, { r: [ORG_REF, ORG_REF, ORG_REF] }).upstreamCalls).toBe(3);
  });
});
