import type { Context } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInviteDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
} from '../contract/types';
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
  /**
   * The trace the calls belong to (see `CallOptions.trace`): the request's, or, given to
   * `forOperation`, the operation's span.
   */
  readonly trace?: Context;
}

/** `createInvite`'s one argument: the org to invite into, the invite, and who asks. */
export interface NewInvite {
  readonly org: OrgRef;
  readonly body: OrgInvitePostDto;
  readonly credentials: CallerCredentials;
}

/** `reissueInvite`'s one argument: the invite, the roles it is sent again with, and who asks. */
export interface InviteReissue {
  readonly invite: InviteRef;
  readonly roles: OrgRoleInfoDto;
  readonly credentials: CallerCredentials;
}

/** A key as the DataLoaders get it: with the call options of the operation that asked first, when it has its own. */
type WithCall<K> = K & { readonly call?: CallOptions };

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
    JSON.stringify([
      query.sortField ?? null,
      query.sortDirection ?? null,
      query.filterField ?? null,
      query.filter ?? null,
      ...credentialsKey(credentials),
    ])
  );
}

function inviteCacheKey({ invite, credentials }: InviteKey): string {
  return orgPrefix(invite) + JSON.stringify([invite.inviteId.toLowerCase(), ...credentialsKey(credentials)]);
}

/**
 * What every operation of one HTTP request shares: the caches, the DataLoaders, the call options.
 * Each DataLoader is made at its first read: a request that reads nothing (or only lists) does not
 * pay for one, and what a request makes at its start lives as long as it does, which under load
 * means it outlives a scavenge and is promoted.
 */
class RequestLoaders {
  /** Owned here so that `clearOrg` can drop entries by prefix, which DataLoader cannot. */
  readonly listCache = new Map<string, Promise<OrgInviteCollectionDto>>();
  readonly inviteCache = new Map<string, Promise<OrgInviteDto>>();
  private listLoader: DataLoader<WithCall<InviteListKey>, OrgInviteCollectionDto, string> | undefined;
  private inviteLoader: DataLoader<WithCall<InviteKey>, OrgInviteDto, string> | undefined;
  readonly call: CallOptions;
  private readonly maxConcurrentCalls: number;

  constructor(
    readonly api: InvitesApi,
    { maxConcurrentCalls = 8, deadline, requestId, trace }: InviteLoaderOptions,
  ) {
    this.call = { deadline, requestId, trace };
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  // The upstream has no batch actions: each distinct key of a batch is one call. A read asked
  // for by several operations of a batch is sent once, in the trace of the first to ask.
  get lists(): DataLoader<WithCall<InviteListKey>, OrgInviteCollectionDto, string> {
    return (this.listLoader ??= new DataLoader<WithCall<InviteListKey>, OrgInviteCollectionDto, string>(
      (keys) =>
        mapWithConcurrency(keys, this.maxConcurrentCalls, (key) =>
          this.api.listInvites(key.org, key.query, key.credentials, key.call ?? this.call),
        ),
      { cacheKeyFn: listCacheKey, cacheMap: this.listCache },
    ));
  }

  get invites(): DataLoader<WithCall<InviteKey>, OrgInviteDto, string> {
    return (this.inviteLoader ??= new DataLoader<WithCall<InviteKey>, OrgInviteDto, string>(
      (keys) =>
        mapWithConcurrency(keys, this.maxConcurrentCalls, (key) => this.api.getInvite(key.invite, key.credentials, key.call ?? this.call)),
      { cacheKeyFn: inviteCacheKey, cacheMap: this.inviteCache },
    ));
  }

  clearOrg(org: OrgRef): void {
    const prefix = orgPrefix(org);
    for (const cache of [this.listCache, this.inviteCache] as Map<string, unknown>[]) {
      for (const key of [...cache.keys()]) {
        if (key.startsWith(prefix)) cache.delete(key);
      }
    }
  }
}

/**
 * Per-request access to the invite actions; the only way resolvers reach the upstream. Reads are
 * deduplicated within one request (aliases, fragments, entity references, the operations of a
 * batch) by DataLoaders; writes go straight through, once, and clear every cached read of their
 * org, since any of them may now be stale. Its methods are named for what the loader does
 * (`load…` a read it may answer from the request's cache, a write it sends and then forgets the
 * org's reads for), not after the REST client's, and each takes one object.
 */
export class InviteLoader {
  /**
   * A loader for a new request, over the REST client: its own caches, concurrency and time budget.
   */
  static forRequest(api: InvitesApi, options: InviteLoaderOptions = {}): InviteLoader {
    return new InviteLoader(new RequestLoaders(api, options), undefined);
  }

  private calls = 0;

  /**
   * @param shared the request's caches and DataLoaders
   * @param call this operation's call options when it has a trace of its own; else the request's are used
   */
  private constructor(
    private readonly shared: RequestLoaders,
    private readonly call: CallOptions | undefined,
  ) {}

  /**
   * The same request's loader for one operation of a batch: the same caches, concurrency and time
   * budget, but its own `callCount`, so each operation's log line says what that operation cost,
   * and, given the operation's span, its calls are that span's children.
   */
  forOperation(trace?: Context): InviteLoader {
    return new InviteLoader(this.shared, trace ? { ...this.shared.call, trace } : undefined);
  }

  /**
   * Upstream actions asked for through this loader (retries not counted): a read counts when it is
   * not already cached for the request, i.e. when this loader's `load` is the one that sends it.
   */
  get callCount(): number {
    return this.calls;
  }

  /** The org's invites (`instanceOrgInvites.get`), read once per distinct key in the request. */
  loadInviteList(key: InviteListKey): Promise<OrgInviteCollectionDto> {
    if (!this.shared.listCache.has(listCacheKey(key))) this.calls++;
    return this.shared.lists.load(this.call ? { ...key, call: this.call } : key);
  }

  /** One invite (`instanceOrgInvite.get`), read once per distinct key in the request. */
  loadInvite(key: InviteKey): Promise<OrgInviteDto> {
    if (!this.shared.inviteCache.has(inviteCacheKey(key))) this.calls++;
    return this.shared.invites.load(this.call ? { ...key, call: this.call } : key);
  }

  /** Sends a new invite (`instanceOrgInvites.post`; never deduplicated or retried), then forgets every cached read of the org. */
  createInvite({ org, body, credentials }: NewInvite): Promise<OrgInviteCollectionDto> {
    return this.write(org, () => this.shared.api.inviteMember(org, body, credentials, this.callOptions));
  }

  /** Revokes the invite (`instanceOrgInvite.delete`; never retried), then forgets every cached read of the org. */
  deleteInvite({ invite, credentials }: InviteKey): Promise<SuccessDto> {
    return this.write(invite, () => this.shared.api.revokeInvite(invite, credentials, this.callOptions));
  }

  /** Sends the invite again with new roles (`instanceOrgInvite.resendInvite`; never retried), then forgets every cached read of the org. */
  reissueInvite({ invite, roles, credentials }: InviteReissue): Promise<OrgInviteDto> {
    return this.write(invite, () => this.shared.api.resendInvite(invite, roles, credentials, this.callOptions));
  }

  private get callOptions(): CallOptions {
    return this.call ?? this.shared.call;
  }

  private async write<T>(org: OrgRef, send: () => Promise<T>): Promise<T> {
    this.calls++;
    try {
      return await send();
    } finally {
      // Cleared on failure too: a write that timed out may still have happened upstream.
      this.shared.clearOrg(org);
    }
  }
}
