/**
 * The fast peer: what a team that wanted speed would write instead of this gateway. Fastify 5 with
 * Mercurius (`jit: 1`, so graphql-jit compiles every document from its second use), the Apollo
 * peer's SDL and resolvers (`bench/apolloPeer.ts`, made executable the way Apollo Server makes
 * them), and the REST call made with an undici `Pool` (keep-alive) read with `body.json()`. An
 * upstream error becomes a GraphQL error with `extensions.code`; nothing else: no limits, no
 * logs, no metrics, no tracing. Run as its own process (`UPSTREAM_URL=... node
 * dist-bench/bench/mercuriusPeer.js`; prints `{"port":N}` once listening and exits when its parent
 * closes its stdin).
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import Fastify from 'fastify';
import mercurius, { ErrorWithProps } from 'mercurius';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { OrgInviteCollectionDto } from '../src/contract/types';
import { ListArgs, sharedResolvers, typeDefs } from './apolloPeer';
import { serveAsHelper, upstreamUrlFromEnv } from './helperProcess';

/** The codes the gateway's error enum gives the upstream's statuses. */
function codeOf(status: number): string {
  if (status === 400) return 'BAD_USER_INPUT';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  return 'UPSTREAM_ERROR';
}

interface PeerContext {
  readonly authorization: string | undefined;
  /** GETs of this request by path: the same list asked twice (aliases) is one call, as RESTDataSource makes it. */
  readonly lists: Map<string, Promise<OrgInviteCollectionDto>>;
}

export async function startMercuriusPeer(upstreamUrl: string, port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const pool = new Pool(upstreamUrl, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });

  const list = (args: ListArgs, { authorization, lists }: PeerContext): Promise<OrgInviteCollectionDto> => {
    const query = new URLSearchParams();
    if (args.sortField) query.set('sortField', args.sortField);
    if (args.sortDirection) query.set('sortDirection', args.sortDirection);
    query.set('_actions', 'false');
    query.set('_links', 'true');
    query.set('_embedded', 'true');
    const path = `/instances/${encodeURIComponent(args.instanceId)}/orgs/${encodeURIComponent(args.orgId)}/invites?${query.toString()}`;
    const asked = lists.get(path);
    if (asked) return asked;
    const headers: Record<string, string> = { accept: 'application/json', 'accept-version': '^1.30.0' };
    if (authorization) headers.authorization = authorization;
    const answer = (async () => {
      const { statusCode, body } = await pool.request({ method: 'GET', path, headers });
      if (statusCode !== 200) {
        await body.dump();
        throw new ErrorWithProps(`The upstream answered HTTP ${statusCode}`, { code: codeOf(statusCode) });
      }
      return (await body.json()) as OrgInviteCollectionDto;
    })();
    lists.set(path, answer);
    return answer;
  };

  const schema = makeExecutableSchema({
    typeDefs,
    resolvers: {
      ...sharedResolvers,
      Query: { orgInvites: (_: unknown, args: ListArgs, context: PeerContext) => list(args, context) },
    },
  });

  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema,
    jit: 1,
    context: (request): PeerContext => ({ authorization: request.headers.authorization, lists: new Map() }),
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: async () => {
      await app.close();
      await pool.close();
    },
  };
}

if (require.main === module) {
  const upstreamUrl = upstreamUrlFromEnv();
  serveAsHelper(async (port) => (await startMercuriusPeer(upstreamUrl, port)).port);
}
