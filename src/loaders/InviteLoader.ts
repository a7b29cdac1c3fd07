import DataLoader from 'dataloader';
import type { ListInvitesQuery, OrgInviteCollectionDto, OrgInviteDto, OrgInvitePostDto, OrgRoleInfoDto, SuccessDto } from '../contract/types';
import type { CallerCredentials, CallOptions, InviteRef, InvitesApi, OrgRef } from '../rest/invitesApi';
import { mapWithConcurrency } from './mapWithConcurrency';

/** Everything that decides what a list call returns; two equal keys are one REST call. */
export interface InviteListKey {
  readonly org: OrgRef;
  readonly query: ListInvitesQuery;
  readonly credentials: CallerCredentials;
}

/** Everything that decides what a single-invite read returns. */
export interface InviteKey {
  readonly invite: InviteRef;
  readonly credentials: CallerCredentials;
}

export interface InviteLoaderOptions {
  /**
   * How many reads one request may have in flight at once, so an operation that reaches many
   * organizations (a federated `_entities` read) cannot flood the upstream.
   */
  readonly maxConcurrentCalls?: number;
  /** Epoch milliseconds by which the operation must be done (its time budget). */
  readonly deadline?: number;
  /** Sent upstream with every call so logs on both sides can be joined. */
  readonly requestId?: string;
  readonly traceparent?: string;
}

/** Cache keys start with the org so that every entry of one org can be cleared together. */
function orgPrefix({ instanceId, orgId }: OrgRef): string {
  return `${instanceId.toLowerCase()}/${orgId.toLowerCase()}|`;
}

function credentialsKey(credentials: CallerCredentials): [string, string | null] {
  return [credentials.authorization, credentials.losantdomain ?? null];
}

function listCacheKey({ org, query, credentials }: InviteListKey): string {
  return (
    orgPrefix(org) +
    JSON.stringify([query.sortField ?? null, query.sortDirection ?? null, query.filterField ?? null, query.filter ?? null, ...credentialsKey(credentials)])
  );
}

function inviteCacheKey({ invite, credentials }: InviteKey): string {
  return orgPrefix(invite) + JSON.stringify([invite.inviteId.toLowerCase(), ...credentialsKey(credentials)]);
}

/**
 * Per-request access to the invite actions; the only way resolvers reach the upstream. Reads are
 * deduplicated within one operation (aliases, fragments, entity references) by DataLoaders; writes
 * go straight through, once, and clear every cached read of their org, since any of them may now
 * be stale.
 */
export class InviteLoader {
  /** Owned here so that `clearOrg` can drop entries by prefix, which DataLoader cannot. */
  private readonly listCache = new Map<string, Promise<OrgInviteCollectionDto>>();
  private readonly inviteCache = new Map<string, Promise<OrgInviteDto>>();
  private readonly lists: DataLoader<InviteListKey, OrgInviteCollectionDto, string>;
  private readonly invites: DataLoader<InviteKey, OrgInviteDto, string>;

  private readonly call: CallOptions;
  private calls = 0;

  constructor(
    private readonly api: InvitesApi,
    { maxConcurrentCalls = 8, deadline, requestId, traceparent }: InviteLoaderOptions = {},
  ) {
    this.call = { deadline, requestId, traceparent };
    // The upstream has no batch actions: each distinct key of a batch is one call.
    this.lists = new DataLoader(
      (keys) => mapWithConcurrency(keys, maxConcurrentCalls, (key) => this.counted(() => this.api.listInvites(key.org, key.query, key.credentials, this.call))),
      { cacheKeyFn: listCacheKey, cacheMap: this.listCache },
    );
    this.invites = new DataLoader(
      (keys) => mapWithConcurrency(keys, maxConcurrentCalls, (key) => this.counted(() => this.api.getInvite(key.invite, key.credentials, this.call))),
      { cacheKeyFn: inviteCacheKey, cacheMap: this.inviteCache },
    );
  }

  /** Upstream actions this request has asked for so far (retries not counted). */
  get callCount(): number {
    return this.calls;
  }

  list(key: InviteListKey): Promise<OrgInviteCollectionDto> {
    return this.lists.load(key);
  }

  invite(key: InviteKey): Promise<OrgInviteDto> {
    return this.invites.load(key);
  }

  /** Sends the invite (never deduplicated or retried), then forgets every cached read of the org. */
  inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials): Promise<OrgInviteCollectionDto> {
    return this.write(org, () => this.api.inviteMember(org, invite, credentials, this.call));
  }

  /** Revokes the invite (never retried), then forgets every cached read of the org. */
  revokeInvite(invite: InviteRef, credentials: CallerCredentials): Promise<SuccessDto> {
    return this.write(invite, () => this.api.revokeInvite(invite, credentials, this.call));
  }

  /** Resends the invite with new roles (never retried), then forgets every cached read of the org. */
  resendInvite(invite: InviteRef, roles: OrgRoleInfoDto, credentials: CallerCredentials): Promise<OrgInviteDto> {
    return this.write(invite, () => this.api.resendInvite(invite, roles, credentials, this.call));
  }

  private counted<T>(send: () => Promise<T>): Promise<T> {
    this.calls++;
    return send();
  }

  private async write<T>(org: OrgRef, send: () => Promise<T>): Promise<T> {
    try {
      return await this.counted(send);
    } finally {
      // Cleared on failure too: a write that timed out may still have happened upstream.
      this.clearOrg(org);
    }
  }

  private clearOrg(org: OrgRef): void {
    const prefix = orgPrefix(org);
    for (const cache of [this.listCache, this.inviteCache] as Map<string, unknown>[]) {
      for (const key of [...cache.keys()]) {
        if (key.startsWith(prefix)) cache.delete(key);
      }
    }
  }
}
