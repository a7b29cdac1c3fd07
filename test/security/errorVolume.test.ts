import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_TOKENS } from '../../src/simulator/demoData';
import { status } from '../../src/simulator/faults';
import { codesOf, post, stallProbe } from '../support/attack';
import { FaultUpstream, upstreamCollection, upstreamInvite } from '../support/faultUpstream';
import { GatewayProcess, startGatewayProcess } from '../support/gatewayProcess';

/*
 * One request must not be able to make the gateway write thousands of errors, to the client or
 * to its log. A contract-valid `ttl: 1e308` made `expiresAt` an invalid date, masked as one
 * INTERNAL_SERVER_ERROR per invite with a stack trace logged for each (20,000 of them, 26.8 MB of
 * log, from one list).
 */

jest.setTimeout(60_000);

const TOKEN = `Bearer ${DEMO_TOKENS.admin}`;
const ORG = { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID };
const INVITES = 20_000;

let upstream: FaultUpstream;
let gateway: GatewayProcess;
beforeAll(async () => {
  upstream = new FaultUpstream();
  await upstream.listen();
  gateway = await startGatewayProcess({ NODE_ENV: 'production', LOSANT_API_URL: upstream.url, LOG_LEVEL: 'warn' });
}, 30_000);
afterAll(async () => {
  gateway?.kill();
  await gateway?.exited;
  await upstream?.close();
});
afterEach(() => upstream.reset());

function graphql(query: string, variables: Record<string, unknown>): ReturnType<typeof post> {
  return post(`${gateway.url}/graphql`, { query, variables }, { authorization: TOKEN });
}

describe('an invite list whose ttl is beyond any date', () => {
  const LIST = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count items { ttl expiresAt status } } }`;

  test(`${INVITES} invites with ttl 1e308: expiresAt null, no error, nothing logged`, async () => {
    const items = Array.from({ length: INVITES }, (_, i) => ({ ...upstreamInvite(`user${i}@example.com`, i % 256), ttl: 1e308 }));
    upstream.enqueue(status(200, { ...upstreamCollection(), items, count: items.length }));
    const logBefore = gateway.output().length;
    const probe = stallProbe(`${gateway.url}/graphql`);
    await probe.ready;
    let response: Awaited<ReturnType<typeof post>>;
    try {
      response = await graphql(LIST, ORG);
    } finally {
      const report = await probe.stop();
      expect(report.failed).toBe(0);
      // Reading, checking and answering 20,000 invites is itself about 2.5 s of one event loop on
      // a busy 2-core machine; with an error per invite it was 11 s.
      expect(report.slowestMs).toBeLessThan(6000);
    }
    const logBytes = gateway.output().length - logBefore;

    expect(codesOf(response.json)).toEqual([]);
    const list = (response.json as { data: { orgInvites: { items: Array<{ ttl: number; expiresAt: string | null }> } } }).data.orgInvites;
    expect(list.items).toHaveLength(INVITES);
    expect(list.items.every((item) => item.ttl === 1e308 && item.expiresAt === null)).toBe(true);
    expect(logBytes).toBeLessThan(4096);

    // A healthy read still answers, with its dates.
    const healthy = await graphql(LIST, ORG);
    expect(healthy.json).toMatchObject({ data: { orgInvites: { count: 2, items: [{ expiresAt: '2024-01-08T00:00:00.000Z' }, { expiresAt: '2024-01-08T00:00:00.000Z' }] } } });
  });
});
