import { createHash } from 'node:crypto';
import {
  createInlineSigningKeyProvider,
  defineConfig,
  extractFromHeader,
  type GatewayCLIConfig,
  type JWTExtendContextFields,
} from '@graphql-hive/gateway';

/**
 * Hive Gateway's settings in front of the invites supergraph, as the tests run it and as
 * docs/router.md shows: `hive-gateway supergraph supergraph.graphql -c hiveGateway.config.ts`. What varies
 * comes from the environment: `INVITES_ROUTER_SECRET` (the invites gateway's ROUTER_SECRET) and
 * `HIVE_MAX_COST` (demand control's budget, 1000 by default) and `HIVE_SCOPES_JWT_KEY` (when set,
 * the router enforces `@requiresScopes`: see `scopeAuthorizationFromEnv`).
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
 * The header in which the router reads the caller's scopes, as a signed JWT whose `scope` claim
 * (space-separated, as Losant spells it) lists them.
 *
 * Why a header of its own rather than `Authorization`: a Losant API token is itself a JWT with a
 * `scope` claim, but it is signed by Losant with a key the router does not hold, and the
 * simulator's demo tokens are opaque strings. So the router reads the scopes from a JWT it can
 * verify (HS256 with `HIVE_SCOPES_JWT_KEY`, e.g. minted by an identity provider in front of it),
 * and forwards the caller's Losant `Authorization` unchanged to the invites subgraph, whose REST
 * calls still meet the API's own scope check. This header is not forwarded.
 */
export const SCOPES_JWT_HEADER = 'x-caller-scopes';

/** What the JWT plugin adds to each request's context: the verified token's payload. */
type ScopesContext = { jwt?: JWTExtendContextFields };

/**
 * With `HIVE_SCOPES_JWT_KEY` set: JWT authentication reads and verifies the caller's JWT from
 * `SCOPES_JWT_HEADER` (a request without a valid one is refused), and generic auth in
 * `protect-granular` mode checks each field's `@requiresScopes` against the JWT's `scope` claim
 * while validating the operation, so an operation asking for a field the caller's scopes do not
 * allow is refused (`UNAUTHORIZED_FIELD_OR_TYPE`) before any subgraph request. Fields with no
 * `@requiresScopes` are open to every authenticated caller. Without the key, no scope is enforced
 * by the router.
 */
function scopeAuthorizationFromEnv(): Pick<GatewayCLIConfig<ScopesContext>, 'jwt' | 'genericAuth'> {
  const key = process.env.HIVE_SCOPES_JWT_KEY;
  if (key === undefined || key === '') return {};
  // HS256's key should be at least as long as its hash (RFC 7518 §3.2).
  if (Buffer.byteLength(key) < 32) throw new Error('HIVE_SCOPES_JWT_KEY must be at least 32 bytes long');
  return {
    jwt: {
      signingKeyProviders: [createInlineSigningKeyProvider(key)],
      tokenLookupLocations: [extractFromHeader({ name: SCOPES_JWT_HEADER, prefix: 'Bearer' })],
      tokenVerification: { algorithms: ['HS256'] },
      reject: { missingToken: true, invalidToken: true },
    },
    genericAuth: {
      mode: 'protect-granular',
      resolveUserFn: (context) => context.jwt?.payload ?? null,
      // The default reads `scope`, split on spaces: Losant's claim, written the same way here.
    },
  };
}

/**
 * The response cache's session: the caller is whoever holds the Authorization header, so every
 * cached answer is kept per caller (the invites fields are PRIVATE: they are the caller's own
 * view through their own token). With scopes enforced, the caller is that header together with
 * the scopes JWT: the cache answers in `onParams`, before the operation is validated, so a
 * session of the Losant token alone would serve an answer cached for a caller allowed the field to
 * one with the same token but a JWT without the scope. Hashed, so a token is never part of a
 * cache key. Without the Authorization header there is no session, and the cache then refuses
 * anything PRIVATE.
 */
export function sessionOf(request: Request): string | null {
  const authorization = request.headers.get('authorization');
  if (!authorization) return null;
  return createHash('sha256')
    .update(JSON.stringify([authorization, request.headers.get(SCOPES_JWT_HEADER)]))
    .digest('hex');
}

export const gatewayConfig = defineConfig<ScopesContext>({
  ...scopeAuthorizationFromEnv(),
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
