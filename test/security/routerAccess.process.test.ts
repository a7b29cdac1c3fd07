import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Trace } from '@apollo/usage-reporting-protobuf';
import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS, demoSeed, type SeedOrg } from '../../src/simulator/demoData';
import type { OrgInviteDto } from '../../src/contract/types';
import {
  circuitState,
  codesOf,
  post,
  type ProbeReport,
  type ProductionGateway,
  ROUTER_ENV,
  ROUTER_HEADERS,
  ROUTER_SECRET,
  stallProbe,
  startProductionGateway,
} from '../support/attack';
import { LIST_INVITES } from '../support/operations';

/**
 * Federation's endpoints are the router's. Anyone could send `apollo-federation-include-trace:
 * ftv1` and have every field of a large read timed and encoded into the answer (3 aliases of a
 * 1.7 MB list: 5.3 MB grew to 17.5 MB and 0.4–0.8 s of CPU to 2.6–3.2 s), ask `_service { sdl }`
 * for the whole described schema with introspection off, run `_entities`, and see federation's
 * plumbing in introspection; and `TRUSTED_DOCUMENTS=only` refused the router's own queries. Now a
 * request carrying `ROUTER_SECRET` is the router's and gets all of that; anyone else's ftv1 header
 * is ignored, `_service`/`_entities` are refused with `ROUTER_ONLY`, and introspection shows the
 * API schema alone.
 */

jest.setTimeout(120_000);

const PROBE_BOUND_MS = 1000;
const ADMIN = { authorization: `Bearer ${DEMO_TOKENS.admin}` };
const FTV1 = { 'apollo-federation-include-trace': 'ftv1' };
const SERVICE_SDL = '{ _service { sdl } }';
const ORG_ENTITY = `{ _entities(representations: [{ __typename: "InstanceOrg", instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}" }]) { ... on InstanceOrg { orgId invites { count } } } }`;

/** An organization with a large invite list, beside the demo one (the healthy org read while attacked). */
const LARGE_ORG_ID = '5f1e0a9b2c3d4e5f607182ff';
const LARGE_ORG = { instanceId: DEMO_INSTANCE_ID, orgId: LARGE_ORG_ID };
const LARGE_LIST_SIZE = 600;

function largeSeed(): SeedOrg[] {
  const invite = (n: number): OrgInviteDto => ({
    id: n.toString(16).padStart(24, '7'),
    email: `member-${n}@example.com`,
    role: 'view',
    applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'collaborate' }],
    dashboardRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182b1', role: 'view' }],
    inviteDate: new Date(Date.now() - n * 60_000).toISOString(),
    ttl: 7 * 24 * 60 * 60 * 1000,
    hasExpired: false,
    disallowTransfer: false,
  });
  return [...demoSeed(new Date()), { ...LARGE_ORG, invites: Array.from({ length: LARGE_LIST_SIZE }, (_, i) => invite(i + 1)) }];
}

/** The review's read: three aliases of one large list (one upstream call), every invite field. */
const THREE_ALIAS_READ = `query Three($instanceId: ID!, $orgId: ID!) {
  a: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id email role inviteDate ttl hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } } }
  b: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id email role inviteDate ttl hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } } }
  c: orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { id email role inviteDate ttl hasExpired disallowTransfer applicationRoles { resourceId role } dashboardRoles { resourceId role } } }
}`;

interface Attacked {
  readonly text: string;
  readonly json: unknown;
  readonly probe: ProbeReport;
  /** The demo org's list, read by another caller while the attack ran. */
  readonly healthyRead: unknown;
}

/** Sends `body` while a second caller's `{ __typename }` probe and a read of the demo org run. */
async function attack(gateway: ProductionGateway, body: unknown, headers: Record<string, string>): Promise<Attacked> {
  const probe = stallProbe(gateway.graphqlUrl);
  let report: ProbeReport;
  let response;
  let healthy;
  try {
    await probe.ready;
    [response, healthy] = await Promise.all([
      post(gateway.graphqlUrl, body, headers),
      post(gateway.graphqlUrl, { query: LIST_INVITES, variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } }, ADMIN),
    ]);
  } finally {
    report = await probe.stop();
  }
  return { text: response.text, json: response.json, probe: report, healthyRead: healthy.json };
}

function expectUndisturbed({ probe, healthyRead }: Attacked): void {
  expect(probe.failed).toBe(0);
  expect(probe.slowestMs).toBeLessThan(PROBE_BOUND_MS);
  expect(healthyRead).toMatchObject({ data: { orgInvites: { orgId: DEMO_ORG_ID } } });
  expect(healthyRead).not.toHaveProperty('errors');
}

function extensionsOf(json: unknown): Record<string, unknown> | undefined {
  return (json as { extensions?: Record<string, unknown> } | undefined)?.extensions;
}

describe('a production gateway with a router secret', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway({ ...ROUTER_ENV, INTROSPECTION: 'true' }, { seed: largeSeed() });
  });
  afterAll(() => gateway?.close());

  test("a client's ftv1 header is ignored: the large read comes back byte for byte as without it, no trace added", async () => {
    const body = { query: THREE_ALIAS_READ, variables: LARGE_ORG };
    const plain = await post(gateway.graphqlUrl, body, ADMIN);
    expect(plain.json).toMatchObject({ data: { a: { count: LARGE_LIST_SIZE } } });

    const attacked = await attack(gateway, body, { ...ADMIN, ...FTV1 });
    expect(extensionsOf(attacked.json)).toBeUndefined();
    expect(Buffer.byteLength(attacked.text)).toBe(Buffer.byteLength(plain.text));
    expectUndisturbed(attacked);
    expect(await circuitState(gateway.process.url)).toBe('closed');
  });

  test('the router, with the secret, gets the inline trace of the same read', async () => {
    // Its cost is the router's to choose: no probe bound here.
    const routed = await post(
      gateway.graphqlUrl,
      { query: THREE_ALIAS_READ, variables: LARGE_ORG },
      { ...ADMIN, ...FTV1, ...ROUTER_HEADERS },
    );
    const ftv1 = extensionsOf(routed.json)?.ftv1;
    expect(typeof ftv1).toBe('string');
    const trace = Trace.decode(Buffer.from(ftv1 as string, 'base64'));
    expect(trace.root?.child?.map((child) => child.responseName)).toEqual(['a', 'b', 'c']);
  });

  test.each([
    ['no secret', {}],
    ['a wrong secret of the same length', { 'router-authorization': ROUTER_SECRET.replace(/.$/, '!') }],
    ['the secret in another header', { 'x-router-secret': ROUTER_SECRET }],
  ])('with %s, `_service` and `_entities` are refused with ROUTER_ONLY, nothing sent upstream', async (_name, headers) => {
    const service = await attack(gateway, { query: SERVICE_SDL }, headers);
    expect(codesOf(service.json)).toEqual(['ROUTER_ONLY']);
    expect(service.json).not.toHaveProperty('data');
    expect(service.text).not.toContain('OrgInvite');
    expectUndisturbed(service);

    gateway.simulator.requests.length = 0;
    const entities = await post(gateway.graphqlUrl, { query: ORG_ENTITY }, { ...ADMIN, ...headers });
    expect(codesOf(entities.json)).toEqual(['ROUTER_ONLY']);
    expect(gateway.simulator.requests).toHaveLength(0);
    expect(await circuitState(gateway.process.url)).toBe('closed');
  });

  test('the router gets the whole subgraph SDL, as committed, and runs `_entities`', async () => {
    const service = await post(gateway.graphqlUrl, { query: SERVICE_SDL }, ROUTER_HEADERS);
    const sdl = (service.json as { data?: { _service?: { sdl?: string } } }).data?._service?.sdl;
    const committed = readFileSync(join(__dirname, '../../schema/subgraph.graphql'), 'utf8').replace(/^#.*\n/, '');
    expect(`${sdl?.trim()}\n`).toBe(committed);

    const entities = await post(gateway.graphqlUrl, { query: ORG_ENTITY }, { ...ADMIN, ...ROUTER_HEADERS });
    expect(entities.json).toEqual({ data: { _entities: [{ orgId: DEMO_ORG_ID, invites: { count: expect.any(Number) } }] } });
  });

  test("clients' introspection shows the API schema, without federation's plumbing", async () => {
    const response = await post(gateway.graphqlUrl, {
      query: '{ __schema { types { name } directives { name } } q: __type(name: "Query") { fields { name } } }',
    });
    const { data } = response.json as {
      data: { __schema: { types: Array<{ name: string }>; directives: Array<{ name: string }> }; q: { fields: Array<{ name: string }> } };
    };
    const names = [...data.__schema.types, ...data.__schema.directives, ...data.q.fields].map(({ name }) => name);
    expect(names).toContain('orgInvites');
    const plumbing = names.filter((name) =>
      /^(_service|_entities|_Any|_Entity|_Service|FieldSet|key|shareable|link|link__.*|federation__.*)$/.test(name),
    );
    expect(plumbing).toEqual([]);
  });

  test("the router's inline trace counts toward MAX_RESPONSE_BYTES: a read within the byte limit is refused once its trace would take it over", async () => {
    const body = { query: THREE_ALIAS_READ, variables: LARGE_ORG };
    // This gateway has the same seed and no byte limit: the plain answer's size is measured here.
    const plainBytes = Buffer.byteLength((await post(gateway.graphqlUrl, body, ADMIN)).text);

    // Room for the answer and half as much again; the trace adds two to three times the answer.
    const max = Math.ceil(plainBytes * 1.5);
    const capped = await startProductionGateway({ ...ROUTER_ENV, MAX_RESPONSE_BYTES: String(max) }, { seed: largeSeed() });
    try {
      expect((await post(capped.graphqlUrl, body, ADMIN)).json).toMatchObject({ data: { a: { count: LARGE_LIST_SIZE } } });
      expect((await post(capped.graphqlUrl, body, { ...ADMIN, ...ROUTER_HEADERS })).json).toMatchObject({
        data: { a: { count: LARGE_LIST_SIZE } },
      });
      const traced = await post(capped.graphqlUrl, body, { ...ADMIN, ...ROUTER_HEADERS, ...FTV1 });
      expect(codesOf(traced.json)).toEqual(['RESPONSE_TOO_LARGE']);
      expect(
        (traced.json as { errors: Array<{ extensions: { limit: string; max: number; actual: number } }> }).errors[0].extensions,
      ).toMatchObject({ limit: 'bytes', max });
    } finally {
      await capped.close();
    }
  });
});

describe('trusted documents only, with a router secret', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway({ ...ROUTER_ENV, TRUSTED_DOCUMENTS: 'only' });
  });
  afterAll(() => gateway?.close());

  test("the router's `_service`, `_entities` and planned documents run; anyone else's are refused before parsing", async () => {
    const service = await post(gateway.graphqlUrl, { query: SERVICE_SDL }, ROUTER_HEADERS);
    expect(service.json).toMatchObject({ data: { _service: { sdl: expect.stringContaining('@key') } } });
    const entities = await post(gateway.graphqlUrl, { query: ORG_ENTITY }, { ...ADMIN, ...ROUTER_HEADERS });
    expect(entities.json).toMatchObject({ data: { _entities: [{ orgId: DEMO_ORG_ID }] } });
    const planned = await post(
      gateway.graphqlUrl,
      { query: `{ orgInvites(instanceId: "${DEMO_INSTANCE_ID}", orgId: "${DEMO_ORG_ID}") { count } }` },
      { ...ADMIN, ...ROUTER_HEADERS },
    );
    expect(planned.json).toMatchObject({ data: { orgInvites: { count: expect.any(Number) } } });

    const client = await post(gateway.graphqlUrl, { query: SERVICE_SDL });
    expect(codesOf(client.json)).toEqual(['DOCUMENT_NOT_TRUSTED']);
  });
});

describe('a production gateway without a router secret', () => {
  let gateway: ProductionGateway;
  beforeAll(async () => {
    gateway = await startProductionGateway();
  });
  afterAll(() => gateway?.close());

  test('nobody is the router: `_service` is refused and an ftv1 header adds nothing, whatever is sent', async () => {
    const service = await post(gateway.graphqlUrl, { query: SERVICE_SDL }, { 'router-authorization': '' });
    expect(codesOf(service.json)).toEqual(['ROUTER_ONLY']);
    const read = await post(
      gateway.graphqlUrl,
      { query: LIST_INVITES, variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } },
      { ...ADMIN, ...FTV1 },
    );
    expect(read.json).toMatchObject({ data: { orgInvites: { orgId: DEMO_ORG_ID } } });
    expect(extensionsOf(read.json)).toBeUndefined();
  });
});
