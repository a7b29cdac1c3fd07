import { createHash } from 'node:crypto';
import type { ListInvitesQuery } from '../../contract/types';
import type { CallerCredentials, OrgRef } from '../invitesApi';

/**
 * Which organization a cached list belongs to: what a mutation clears, and what replicas tell each
 * other. Ids are compared as the upstream compares them, without regard to case.
 */
export function orgCacheKey(org: OrgRef): string {
  return `${org.instanceId.toLowerCase()}/${org.orgId.toLowerCase()}`;
}

/**
 * The key of one cached list: a SHA-256 of everything the upstream's answer depends on (the
 * caller's credentials, the organization, sort, filter and domain). The token is only ever an
 * input of the hash: a key (in memory, a heap snapshot or a log) never holds it, and two callers
 * share an entry only if they send the same credentials.
 */
export function listCacheKey(org: OrgRef, query: ListInvitesQuery, credentials: CallerCredentials): string {
  // A fixed order of fields, so that the same list always hashes the same; JSON keeps values apart.
  const parts = [
    credentials.authorization,
    credentials.losantdomain ?? null,
    orgCacheKey(org),
    query.sortField ?? null,
    query.sortDirection ?? null,
    query.filterField ?? null,
    query.filter ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
