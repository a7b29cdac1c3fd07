import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { post, ProductionGateway, startProductionGateway } from '../support/attack';

/**
 * With introspection off (production's default), the schema is not for anyone to explore: no
 * error may name a field, argument, type or enum value that the client did not send itself, not
 * through a "Did you mean …?" suggestion and not by naming the type it looked in. Each case below
 * is a way to probe for names; each is checked on the messages the production gateway answers.
 */

const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const ORG = `instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}"`;

interface Probe {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** Schema names the probe fishes for; none may appear in any message. */
  readonly hidden: readonly string[];
  /** A code the answer must still carry: the error stays typed and useful. */
  readonly code: string;
}

const PROBES: ReadonlyArray<[string, Probe]> = [
  [
    'an unknown field',
    { query: `{ orgInvites(${ORG}) { cont } }`, hidden: ['count', 'OrgInviteCollection'], code: 'GRAPHQL_VALIDATION_FAILED' },
  ],
  [
    'an unknown enum value in a literal',
    { query: `{ orgInvites(${ORG}, sortField: EMAL) { count } }`, hidden: ['EMAIL', 'InviteSortField'], code: 'GRAPHQL_VALIDATION_FAILED' },
  ],
  [
    'an unknown enum value in a variable',
    {
      query: `query($s: InviteSortField!) { orgInvites(${ORG}, sortField: $s) { count } }`,
      variables: { s: 'EMAL' },
      hidden: ['EMAIL', 'INVITE_DATE'],
      code: 'BAD_USER_INPUT',
    },
  ],
  [
    'an unknown argument',
    { query: `{ orgInvites(${ORG}, sortFeld: EMAIL) { count } }`, hidden: ['sortField', 'Query'], code: 'GRAPHQL_VALIDATION_FAILED' },
  ],
  [
    'a misspelt input field in a literal',
    {
      query: `mutation { inviteMember(${ORG}, invite: { emial: "a@example.com", role: VIEW }) { invite { id } } }`,
      hidden: ['email', 'OrgInviteInput'],
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
  ],
  [
    'a misspelt input field in a variable',
    {
      query: `mutation($i: OrgInviteInput!) { inviteMember(${ORG}, invite: $i) { invite { id } } }`,
      variables: { i: { emial: 'a@example.com', role: 'VIEW' } },
      hidden: ['email'],
      code: 'BAD_USER_INPUT',
    },
  ],
  [
    'an input field of the wrong type',
    {
      query: `mutation { inviteMember(${ORG}, invite: { email: "a@example.com", role: 5 }) { invite { id } } }`,
      hidden: ['OrgRole', 'EDIT', 'VIEW'],
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
  ],
  [
    'a missing required argument',
    { query: '{ orgInvites { count } }', hidden: ['instanceId', 'orgId'], code: 'GRAPHQL_VALIDATION_FAILED' },
  ],
  [
    'a leaf without its selection',
    { query: `{ orgInvites(${ORG}) }`, hidden: ['OrgInviteCollection', 'count', 'items'], code: 'GRAPHQL_VALIDATION_FAILED' },
  ],
];

describe('with introspection off', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway();
  });
  afterAll(() => gateway.close());

  test.each(PROBES)('%s: the error names nothing the client did not send', async (_name, probe) => {
    const response = await post(gateway.graphqlUrl, { query: probe.query, variables: probe.variables }, ADMIN);
    const errors = (response.json as { errors?: Array<{ message: string; extensions?: { code?: string } }> }).errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((error) => error.extensions?.code)).toContain(probe.code);
    for (const { message } of errors) {
      expect(message).not.toMatch(/Did you mean/);
      for (const name of probe.hidden)
        expect({ message, leaks: new RegExp(`\\b${name}\\b`).test(message) }).toEqual({ message, leaks: false });
    }
    expect(gateway.simulator.requests).toHaveLength(0);
  });
});

test('with introspection on, the same errors keep their suggestions (they help whoever may read the schema anyway)', async () => {
  const gateway = await startProductionGateway({ INTROSPECTION: 'true' });
  try {
    const response = await post(gateway.graphqlUrl, { query: `{ orgInvites(${ORG}) { cont } }` }, ADMIN);
    expect((response.json as { errors: Array<{ message: string }> }).errors[0].message).toBe(
      'Cannot query field "cont" on type "OrgInviteCollection". Did you mean "count"?',
    );
  } finally {
    await gateway.close();
  }
});
