import { createHash } from 'node:crypto';
import { defineConfig } from '@graphql-hive/gateway';

/**
 * Hive Gateway's settings in front of the invites supergraph, as the tests run it and as the
 * README shows: `hive-gateway supergraph supergraph.graphql -c hiveGateway.config.ts`. What varies
 * comes from the environment: `INVITES_ROUTER_SECRET` (the invites gateway's ROUTER_SECRET) and
 * `HIVE_MAX_COST` (demand control's budget, 1000 by default).
 */

function maxCostFromEnv(): number {
  const raw = process.env.HIVE_MAX_COST ?? '1000';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`HIVE_MAX_COST must be a whole number of at least 0, got "${raw}"`);
  return value;
}

/** How long a cached answer lives (ms) unless a subgraph's Cache-Control max-age is shorter. */
export const RESPONSE_CACHE_TTL_MS = 60_000;

/**
 * The response cache's session: the caller is whoever holds the Authorization header, so every
 * cached answer is kept per caller (the invites fields are PRIVATE: they are the caller's own
 * view through their own token). Hashed, so a token is never part of a cache key. Without the
 * header there is no session, and the cache then refuses anything PRIVATE.
 */
export function sessionOf(request: Request): string | null {
  const authorization = request.headers.get('authorization');
  return authorization ? createHash('sha256').update(authorization).digest('hex') : null;
}

export const gatewayConfig = defineConfig({
  demandControl: { maxCost: maxCostFromEnv(), includeExtensionMetadata: true },
  responseCaching: { session: sessionOf, ttl: RESPONSE_CACHE_TTL_MS, includeExtensionMetadata: true },
  // The invites subgraph calls the REST API with the caller's own token.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
  // Only the router may run `_entities` on the invites subgraph: it proves it with ROUTER_SECRET
  // in ROUTER_SECRET_HEADER (default `router-authorization`) on every request there.
  transportEntries: {
    invites: { headers: [['router-authorization', '{env.INVITES_ROUTER_SECRET}']] },
  },
  landingPage: false,
  graphiql: false,
});
