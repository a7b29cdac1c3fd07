import DataLoader from 'dataloader';
import type { ListInvitesQuery, OrgInviteCollectionDto, OrgInvitePostDto } from '../contract/types';
import type { CallerCredentials, InvitesApi, OrgRef } from '../rest/invitesApi';
import { mapWithConcurrency } from './mapWithConcurrency';

/** Everything that decides what a list call returns; two equal keys are one REST call. */
export interface InviteListKey {
  readonly org: OrgRef;
  readonly query: ListInvitesQuery;
  readonly credentials: CallerCredentials;
}

/** The cache key starts with the org so that every list of one org can be cleared together. */
function orgPrefix({ instanceId, orgId }: OrgRef): string {
  return `${instanceId.toLowerCase()}/${orgId.toLowerCase()}|`;
}

function cacheKeyOf({ org, query, credentials }: InviteListKey): string {
  return (
    orgPrefix(org) +
    JSON.stringify([
      query.sortField ?? null,
      query.sortDirection ?? null,
      query.filterField ?? null,
      query.filter ?? null,
      credentials.authorization,
      credentials.losantdomain ?? null,
    ])
  );
}

/**
 * Per-request access to the invite actions; the only way resolvers reach the upstream. Reads are
 * deduplicated within one operation (aliases, fragments, entity references) by a DataLoader; writes
 * go straight through, once, and clear what they made stale.
 */
export class InviteLoader {
  /** Owned here so that `clearOrg` can drop entries by prefix, which DataLoader cannot. */
  private readonly listCache = new Map<string, Promise<OrgInviteCollectionDto>>();
  private readonly lists: DataLoader<InviteListKey, OrgInviteCollectionDto, string>;

  /**
   * @param maxConcurrentCalls how many list calls one request may have in flight at once, so an
   *   operation that reaches many organizations (a federated `_entities` read) cannot flood the upstream.
   */
  constructor(
    private readonly api: InvitesApi,
    maxConcurrentCalls: number = 8,
  ) {
    this.lists = new DataLoader(
      // The upstream has no batch action: each distinct key of a batch is one call.
      (keys) => mapWithConcurrency(keys, maxConcurrentCalls, (key) => this.api.listInvites(key.org, key.query, key.credentials)),
      { cacheKeyFn: cacheKeyOf, cacheMap: this.listCache },
    );
  }

  list(key: InviteListKey): Promise<OrgInviteCollectionDto> {
    return this.lists.load(key);
  }

  /** Sends the invite (never deduplicated or retried), then forgets every cached list of the org. */
  async inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials): Promise<OrgInviteCollectionDto> {
    try {
      return await this.api.inviteMember(org, invite, credentials);
    } finally {
      // Cleared on failure too: a POST that timed out may still have created the invite.
      this.clearOrg(org);
    }
  }

  private clearOrg(org: OrgRef): void {
    const prefix = orgPrefix(org);
    for (const key of [...this.listCache.keys()]) {
      if (key.startsWith(prefix)) this.listCache.delete(key);
    }
  }
}
