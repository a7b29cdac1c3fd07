import { createHash, timingSafeEqual } from 'node:crypto';
import type { HTTPGraphQLRequest } from '@apollo/server';
import type { RouterAccess } from '../config/settings';

/**
 * Who sent a GraphQL request, as far as federation goes:
 * - `verified`: the router, proven by the shared secret; it gets the subgraph schema (`_service`,
 *   `_entities`), inline traces, and passes trusted documents (its query planner writes the
 *   documents, none of which a manifest could list);
 * - `demo`: no secret is configured outside production and the request asks for federation (an
 *   ftv1 trace, or `_service`/`_entities` in its document): served as the router's, still subject
 *   to trusted documents;
 * - `client`: everyone else, served the API schema alone.
 */
export type RouterRole = 'verified' | 'demo' | 'client';

const FEDERATION_FIELD = /(?<![_0-9A-Za-z])_(?:service|entities)(?![_0-9A-Za-z])/;

/**
 * Tells the router's requests from everyone else's; undefined when no caller can be the router (no
 * secret, and not open without one): then the subgraph schema need not be served at all.
 */
export function routerRoleOf(access: RouterAccess): ((request: HTTPGraphQLRequest) => RouterRole) | undefined {
  if (access.secret !== undefined) {
    const expected = digest(access.secret);
    return (request) => {
      const sent = request.headers.get(access.header);
      // Digests have one length, so the comparison takes the same time whatever was sent.
      return sent !== undefined && timingSafeEqual(digest(sent), expected) ? 'verified' : 'client';
    };
  }
  if (!access.openWithoutSecret) return undefined;
  return (request) => (asksForFederation(request) ? 'demo' : 'client');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * An ftv1 trace asked for, or a document naming `_service`/`_entities` (a name in a string literal too: it is then served the subgraph
 * schema, the API schema and federation's fields).
 */
function asksForFederation(request: HTTPGraphQLRequest): boolean {
  if (request.headers.has('apollo-federation-include-trace')) return true;
  const documents: unknown[] = Array.isArray(request.body) ? (request.body as unknown[]) : [request.body];
  const queries = documents.map((body) => (typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined));
  if (request.method === 'GET') queries.push(...new URLSearchParams(request.search).getAll('query'));
  return queries.some((query) => typeof query === 'string' && FEDERATION_FIELD.test(query));
}
