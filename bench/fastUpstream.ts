/**
 * The fast local upstream: a plain node:http server that answers the invite list action from
 * precomputed JSON bodies, so the benchmark measures the gateway and not a slow backend. Run as its
 * own process (`node dist-bench/bench/fastUpstream.js`; it prints `{"port":N}` once listening and
 * exits when its parent closes its stdin). Also the home of the benchmark's data, which the
 * scenarios use to check answers.
 *
 * - `GET /instances/:i/orgs/:o/invites?...`: 200 with an `orgInviteCollection` of N invites, N read
 *   from the org id (`benchOrgId`), echoing `sortField`/`sortDirection`.
 * - `POST` on the same path: 201 with the collection plus the invite the mutation scenario sends.
 * - `GET /`: 200 (the gateway's readiness ping).
 * - `GET /__bench/counts`, `POST /__bench/reset`: requests received per "METHOD path".
 * Every action needs an `Authorization` header (401 otherwise), as the real API does.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { OrgInviteCollectionDto, OrgInviteDto, OrgRoleValue, ResourceRoleGrantDto, ResourceRoleValue } from '../src/contract/types';
import { listen } from '../src/http/listen';
import { serveAsHelper } from './helperProcess';

export const BENCH_INSTANCE_ID = 'be0c000000000000000000a1';
/** Any token: the fast upstream only checks that one is sent. */
export const BENCH_AUTHORIZATION = 'Bearer bench-token-0000';
/** The email `inviteMember` sends in the mutation scenario; the upstream's POST answer holds it. */
export const BENCH_NEW_MEMBER_EMAIL = 'new-member@bench.example';

/**
 * An org id that says how many invites the org has: `b0b0` + 8 hex digits of an index + the
 * count in 12 decimal digits (24 hex characters in all, as the contract requires). The gateway
 * forwards only the ids and the sort/filter parameters, so the count travels in the id.
 */
export function benchOrgId(index: number, invites: number): string {
  return `b0b0${index.toString(16).padStart(8, '0')}${String(invites).padStart(12, '0')}`;
}

/** The invite count of an id made by `benchOrgId`, or `undefined` for any other id. */
export function inviteCountOf(orgId: string): number | undefined {
  if (!/^b0b0[0-9a-f]{8}\d{12}$/.test(orgId)) return undefined;
  return Number(orgId.slice(12));
}

const ORG_ROLES: readonly OrgRoleValue[] = ['admin', 'edit', 'collaborate', 'view', 'none'];
const RESOURCE_ROLES: readonly ResourceRoleValue[] = ['collaborate', 'view', 'none'];
const SENT_AT = Date.UTC(2025, 0, 1);
const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

function hexId(prefix: string, n: number): string {
  return prefix + n.toString(16).padStart(24 - prefix.length, '0');
}

function grants(i: number, count: number, prefix: string): ResourceRoleGrantDto[] {
  return Array.from({ length: count }, (_, k) => ({
    resourceId: hexId(prefix, i * 4 + k),
    role: RESOURCE_ROLES[(i + k) % RESOURCE_ROLES.length],
  }));
}

/**
 * `n` invites in ascending email order, with the variety a real org has: every role, some with
 * application and dashboard grants, some without the optional fields (which the gateway reads as
 * `[]` and `false`), some expired.
 */
export function benchInvites(n: number): OrgInviteDto[] {
  const items: OrgInviteDto[] = [];
  for (let i = 0; i < n; i++) {
    const invite: OrgInviteDto = {
      id: hexId('c0ffee', i),
      email: `member-${String(i).padStart(5, '0')}@bench.example`,
      role: ORG_ROLES[i % ORG_ROLES.length],
      inviteDate: new Date(SENT_AT + i * 3_600_000).toISOString(),
      ttl: SEVEN_DAYS_MS,
      hasExpired: i % 3 === 0,
    };
    if (i % 4 !== 0) invite.applicationRoles = grants(i, 1 + (i % 2), 'a99');
    if (i % 5 === 1) invite.dashboardRoles = grants(i, 1, 'dd0');
    else if (i % 5 === 2) invite.dashboardRoles = [];
    if (i % 2 === 0) invite.disallowTransfer = i % 4 === 0;
    items.push(invite);
  }
  return items;
}

/** The invite the mutation scenario creates, as the upstream's POST answer lists it. */
export function newMemberInvite(): OrgInviteDto {
  return {
    id: hexId('be0', 1),
    email: BENCH_NEW_MEMBER_EMAIL,
    role: 'view',
    applicationRoles: [],
    dashboardRoles: [],
    inviteDate: new Date(SENT_AT + 365 * 24 * 3_600_000).toISOString(),
    ttl: SEVEN_DAYS_MS,
    hasExpired: false,
    disallowTransfer: false,
  };
}

/** The list action's answer for an org made by `benchOrgId`, echoing the sort it was asked for. */
export function benchCollection(
  orgId: string,
  sortField = 'inviteDate',
  sortDirection = 'desc',
  extra: OrgInviteDto[] = [],
): OrgInviteCollectionDto {
  const items = [...benchInvites(inviteCountOf(orgId) ?? 0), ...extra];
  return { items, count: items.length, instanceId: BENCH_INSTANCE_ID, orgId, sortField, sortDirection };
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

const INVITES_PATH = /^\/instances\/([0-9a-fA-F]{24})\/orgs\/([0-9a-fA-F]{24})\/invites$/;
/** Bodies are precomputed on first use; keys are few (orgs × sort echoes), so no eviction. */
const MAX_INVITES = 5000;

interface Prepared {
  readonly body: Buffer;
  readonly headers: http.OutgoingHttpHeaders;
}

function prepare(value: unknown): Prepared {
  const body = Buffer.from(JSON.stringify(value));
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length } };
}

export function createFastUpstream(): http.Server {
  const bodies = new Map<string, Prepared>();
  const counts = new Map<string, number>();
  const notFound = prepare({ type: 'NotFound', message: 'Not found' });
  const unauthorized = prepare({ type: 'Unauthorized', message: 'Authorization required' });
  const badRequest = prepare({ type: 'Validation', message: 'Invalid body' });

  const send = (res: ServerResponse, status: number, prepared: Prepared): void => {
    res.writeHead(status, prepared.headers);
    res.end(prepared.body);
  };

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? 'GET';

    if (path.startsWith('/__bench/')) {
      if (path === '/__bench/reset' && method === 'POST') counts.clear();
      req.resume();
      return send(res, 200, prepare(Object.fromEntries(counts)));
    }
    const countKey = `${method} ${path}`;
    counts.set(countKey, (counts.get(countKey) ?? 0) + 1);

    if (path === '/' && method === 'GET') return send(res, 200, prepare({ service: 'fast upstream' }));
    const match = INVITES_PATH.exec(path);
    const invites = match ? inviteCountOf(match[2]) : undefined;
    if (!match || invites === undefined || invites > MAX_INVITES || (method !== 'GET' && method !== 'POST')) {
      req.resume();
      return send(res, 404, notFound);
    }
    if (!req.headers.authorization) {
      req.resume();
      return send(res, 401, unauthorized);
    }

    if (method === 'GET') {
      const search = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
      const sortField = search.get('sortField') ?? 'inviteDate';
      const sortDirection = search.get('sortDirection') ?? 'desc';
      const key = `GET ${path}|${sortField}|${sortDirection}`;
      let prepared = bodies.get(key);
      if (!prepared) bodies.set(key, (prepared = prepare(benchCollection(match[2], sortField, sortDirection))));
      return send(res, 200, prepared);
    }

    // POST: read the orgInvitePost body (it must be JSON with an email), answer 201 with the collection.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let email: unknown;
      try {
        email = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { email?: unknown }).email;
      } catch {
        email = undefined;
      }
      if (typeof email !== 'string') return send(res, 400, badRequest);
      const key = `POST ${path}`;
      let prepared = bodies.get(key);
      if (!prepared) bodies.set(key, (prepared = prepare(benchCollection(match[2], 'inviteDate', 'desc', [newMemberInvite()]))));
      send(res, 201, prepared);
    });
  });
  // Longer than any pause between benchmark rows, so the gateway's keep-alive sockets are not
  // closed under it (a POST on a socket closed in between would fail and is never retried).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return server;
}

if (require.main === module) {
  const server = createFastUpstream();
  serveAsHelper(async (port) => (await listen(server, port, '127.0.0.1')).port);
}
