/**
 * The plain Node floor: the least a hand-written service must do to answer the benchmark's list
 * query, with no GraphQL library. It reads the GraphQL request's JSON body, forwards the list call
 * to the upstream over a keep-alive agent (same query string and headers as the gateway), parses
 * the upstream's JSON, picks the fields LIST_QUERY selects (mapping REST enum values to GraphQL
 * ones, absent optionals to `[]`/`false`), and writes `{"data":{"orgInvites":...}}`.
 *
 * It does not parse the GraphQL document: the projection is fixed to LIST_QUERY's selection. That
 * is the point of a floor: what no gateway can go below on this machine. Run as its own process
 * (`UPSTREAM_URL=... node dist-bench/bench/plainFloor.js`; prints `{"port":N}` once listening and
 * exits when its parent closes its stdin).
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { OrgInviteCollectionDto, OrgInviteDto, ResourceRoleGrantDto } from '../src/contract/types';
import { readBodyText } from '../src/http/requestBody';
import { sendJson } from '../src/http/sendJson';
import { listen } from '../src/http/listen';
import { serveAsHelper, upstreamUrlFromEnv } from './helperProcess';

const ID = /^[A-Fa-f\d]{24}$/;
const SORT_FIELD: Readonly<Record<string, string>> = { email: 'EMAIL', role: 'ROLE', inviteDate: 'INVITE_DATE' };
const SORT_DIRECTION: Readonly<Record<string, string>> = { asc: 'ASC', desc: 'DESC' };
const ROLE: Readonly<Record<string, string>> = { admin: 'ADMIN', edit: 'EDIT', collaborate: 'COLLABORATE', view: 'VIEW', none: 'NONE' };

function grants(list: readonly ResourceRoleGrantDto[] | undefined): Array<{ resourceId: string; role: string }> {
  if (!list) return [];
  return list.map((grant) => ({ resourceId: grant.resourceId, role: ROLE[grant.role] ?? grant.role }));
}

/** LIST_QUERY's selection, in its order. */
function project(dto: OrgInviteCollectionDto): unknown {
  return {
    data: {
      orgInvites: {
        count: dto.count,
        sortField: dto.sortField ? (SORT_FIELD[dto.sortField] ?? null) : null,
        sortDirection: dto.sortDirection ? (SORT_DIRECTION[dto.sortDirection.toLowerCase()] ?? null) : null,
        items: dto.items.map((invite: OrgInviteDto) => ({
          id: invite.id,
          email: invite.email,
          role: ROLE[invite.role] ?? invite.role,
          hasExpired: invite.hasExpired,
          disallowTransfer: invite.disallowTransfer ?? false,
          applicationRoles: grants(invite.applicationRoles),
          dashboardRoles: grants(invite.dashboardRoles),
        })),
      },
    },
  };
}

export function createPlainFloor(upstreamUrl: string): http.Server {
  const upstream = new URL(upstreamUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });

  const getJson = (path: string, authorization: string): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path,
          method: 'GET',
          agent,
          headers: { accept: 'application/json', 'accept-version': '^1.30.0', authorization },
        },
        (res) => {
          readBodyText(res, Infinity)
            .then((text) => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
            .catch(reject);
        },
      );
      req.on('error', reject);
      req.end();
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.url === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/graphql') return sendJson(res, 404, { error: 'POST /graphql only' });
    const request = JSON.parse(await readBodyText(req, Infinity)) as { variables?: { instanceId?: unknown; orgId?: unknown } };
    const { instanceId, orgId } = request.variables ?? {};
    if (typeof instanceId !== 'string' || typeof orgId !== 'string' || !ID.test(instanceId) || !ID.test(orgId)) {
      return sendJson(res, 200, {
        errors: [{ message: 'instanceId and orgId must be 24 hex characters', extensions: { code: 'BAD_USER_INPUT' } }],
        data: null,
      });
    }
    const authorization = req.headers.authorization;
    if (!authorization)
      return sendJson(res, 200, { errors: [{ message: 'Send a token', extensions: { code: 'UNAUTHENTICATED' } }], data: null });
    const path = `/instances/${instanceId}/orgs/${orgId}/invites?sortField=email&sortDirection=asc&_actions=false&_links=true&_embedded=true`;
    const answer = await getJson(path, authorization);
    if (answer.status !== 200)
      return sendJson(res, 200, { errors: [{ message: `upstream ${answer.status}`, extensions: { code: 'UPSTREAM_ERROR' } }], data: null });
    sendJson(res, 200, project(answer.body as OrgInviteCollectionDto));
  };

  return http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: (error as Error).message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });
}

if (require.main === module) {
  const server = createPlainFloor(upstreamUrlFromEnv());
  serveAsHelper(async (port) => (await listen(server, port, '127.0.0.1')).port);
}
