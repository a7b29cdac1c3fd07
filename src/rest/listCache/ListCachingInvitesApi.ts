import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
  OrgInviteDto,
} from '../../contract/types';
import type { CallerCredentials, CallOptions, InviteRef, InvitesApi, OrgRef } from '../invitesApi';
import type { InvalidationBus } from './LocalInvalidationBus';
import { listCacheKey, orgCacheKey } from './listCacheKeys';
import type { ListCacheStore } from './ListCacheStore';

/** What the cache tells metrics. */
export interface ListCacheObserver {
  /**
   * A list read: answered from the cache (`hit`), from the upstream (`miss`), or from the upstream because the cache could not hear other
   * replicas (`deaf`).
   */
  readonly onRead?: (outcome: 'hit' | 'miss' | 'deaf') => void;
  /**
   * An organization's lists dropped: by a mutation here (`local`), another replica's (`remote`), or all of them after a time the cache
   * could not hear (`reset`).
   */
  readonly onInvalidation?: (source: 'local' | 'remote' | 'reset') => void;
}

/**
 * A short-lived cache of invite lists in front of the REST client, per caller (the key hashes the
 * token, see `listCacheKey`), under each request's DataLoader: a frontend paging through a
 * 5,000-invite list page by page gets it from the upstream once per LIST_CACHE_TTL_MS, not once a page.
 *
 * Only answers are kept: a read that fails is never cached. Every mutation of an organization
 * (invite, revoke, resend) clears its lists here and, through the bus, on every replica, whether it
 * succeeded, failed, or may have happened: the cache cannot tell a write that never arrived from
 * one whose answer was lost. While the bus cannot hear other replicas, the cache neither serves
 * nor stores, and what it held is dropped when it hears again.
 */
export class ListCachingInvitesApi implements InvitesApi {
  constructor(
    private readonly inner: InvitesApi,
    private readonly store: ListCacheStore,
    private readonly bus: InvalidationBus,
    private readonly observer: ListCacheObserver = {},
  ) {
    bus.listen({
      invalidated: (org) => {
        this.store.invalidate(org);
        this.observer.onInvalidation?.('remote');
      },
      reset: () => {
        this.store.reset();
        this.observer.onInvalidation?.('reset');
      },
    });
  }

  async listInvites(
    org: OrgRef,
    query: ListInvitesQuery,
    credentials: CallerCredentials,
    call?: CallOptions,
  ): Promise<OrgInviteCollectionDto> {
    if (!this.bus.hearing) {
      this.observer.onRead?.('deaf');
      return this.inner.listInvites(org, query, credentials, call);
    }
    const key = listCacheKey(org, query, credentials);
    const cached = this.store.get(key);
    if (cached) {
      this.observer.onRead?.('hit');
      return cached;
    }
    this.observer.onRead?.('miss');
    const ticket = this.store.begin(orgCacheKey(org));
    try {
      const list = await this.inner.listInvites(org, query, credentials, call);
      // Not kept if the bus went deaf meanwhile: an invalidation may have been missed.
      if (this.bus.hearing) this.store.store(ticket, key, list);
      return list;
    } finally {
      this.store.end();
    }
  }

  inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto> {
    return this.mutating(org, () => this.inner.inviteMember(org, invite, credentials, call));
  }

  getInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.inner.getInvite(invite, credentials, call);
  }

  revokeInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<SuccessDto> {
    return this.mutating(invite, () => this.inner.revokeInvite(invite, credentials, call));
  }

  resendInvite(invite: InviteRef, roles: OrgRoleInfoDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto> {
    return this.mutating(invite, () => this.inner.resendInvite(invite, roles, credentials, call));
  }

  /**
   * Runs a write, then clears the organization's lists here and tells the other replicas, before
   * the write's answer (or error) goes back: the caller's next read, on any replica that heard,
   * reads the upstream.
   */
  private async mutating<T>(org: OrgRef, write: () => Promise<T>): Promise<T> {
    const key = orgCacheKey(org);
    try {
      return await write();
    } finally {
      this.store.invalidate(key);
      this.observer.onInvalidation?.('local');
      await this.bus.publish(key);
    }
  }
}
