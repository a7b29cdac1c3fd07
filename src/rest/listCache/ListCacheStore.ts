import { LRUCache } from 'lru-cache';
import type { OrgInviteCollectionDto } from '../../contract/types';

export interface ListCacheStoreOptions {
  /** How long an answer is served from the cache, in milliseconds (> 0). */
  readonly ttlMs: number;
  /** Estimated bytes of answers kept; the least recently used are dropped past this. */
  readonly maxBytes: number;
  /** Organizations whose last invalidation is remembered while reads are in flight; see `ListCacheStore`. */
  readonly maxTrackedOrgs?: number;
}

/** A read under way: when it began, for `store` to tell whether its answer may be kept. */
export interface ReadTicket {
  readonly org: string;
  readonly epoch: number;
}

interface Entry {
  readonly org: string;
  readonly list: OrgInviteCollectionDto;
}

/** What one more entry costs besides its answer: key, record, LRU links. */
const ENTRY_OVERHEAD_BYTES = 256;

/** Enough organizations for every mutation of a busy minute; past it, reads under way give up storing. */
const DEFAULT_MAX_TRACKED_ORGS = 10_000;

/**
 * The in-process half of the list cache: answers by key, capped by bytes and by age, and the
 * rules that keep a stale answer out.
 *
 * Invalidation is by organization and by epoch. Every invalidation takes the next epoch; a read
 * notes the epoch it began at (`begin`), and its answer is kept (`store`) only if its organization
 * was not invalidated since, and the whole cache not reset since. So a read that started before a
 * mutation, and whose answer arrives after the mutation cleared the cache, does not put that
 * answer back. The last invalidation of each organization is only needed while a read older than
 * it is still under way: the table is emptied whenever no read is, and capped (past the cap, it is
 * emptied and every read under way loses the right to store, as after a reset).
 */
export class ListCacheStore {
  private readonly entries: LRUCache<string, Entry>;
  private readonly invalidatedAt = new Map<string, number>();
  private readonly maxTrackedOrgs: number;
  private epoch = 0;
  /** Reads that began before this epoch may not store: the whole cache was reset after they began. */
  private floor = 0;
  private readsInFlight = 0;

  constructor(options: ListCacheStoreOptions) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: options.maxBytes,
      // Never an entry larger than the cache: lru-cache would admit it and lose count of its size.
      maxEntrySize: options.maxBytes,
      ttl: options.ttlMs,
      // An expired entry is never served, and dropped when met.
      allowStale: false,
      sizeCalculation: (entry, key) => estimatedBytes(entry.list) + key.length + ENTRY_OVERHEAD_BYTES,
    });
    this.maxTrackedOrgs = options.maxTrackedOrgs ?? DEFAULT_MAX_TRACKED_ORGS;
  }

  /** Estimated bytes held now. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A fresh answer, if one is kept. */
  get(key: string): OrgInviteCollectionDto | undefined {
    return this.entries.get(key)?.list;
  }

  /** Notes that a read of `org` begins; every `begin` must be followed by one `end`. */
  begin(org: string): ReadTicket {
    this.readsInFlight++;
    return { org, epoch: this.epoch };
  }

  /** Keeps the answer of the read `ticket` began, unless its organization or the cache was cleared since. Answers whether it did. */
  store(ticket: ReadTicket, key: string, list: OrgInviteCollectionDto): boolean {
    if (ticket.epoch < this.floor) return false;
    const invalidated = this.invalidatedAt.get(ticket.org);
    if (invalidated !== undefined && invalidated > ticket.epoch) return false;
    this.entries.set(key, { org: ticket.org, list });
    return this.entries.has(key);
  }

  /** The read `ticket` began is over (stored or not, failed or not). */
  end(): void {
    this.readsInFlight--;
    if (this.readsInFlight === 0) this.invalidatedAt.clear();
  }

  /** Drops every answer about `org`, and keeps reads of it under way from storing theirs. Answers how many were dropped. */
  invalidate(org: string): number {
    this.epoch++;
    if (this.readsInFlight > 0) {
      if (this.invalidatedAt.size >= this.maxTrackedOrgs && !this.invalidatedAt.has(org)) {
        this.floor = this.epoch;
        this.invalidatedAt.clear();
      } else {
        this.invalidatedAt.set(org, this.epoch);
      }
    }
    const dropped: string[] = [];
    for (const [key, entry] of this.entries.entries()) if (entry.org === org) dropped.push(key);
    for (const key of dropped) this.entries.delete(key);
    return dropped.length;
  }

  /** Drops everything, and keeps every read under way from storing: invalidations may have been missed. */
  reset(): void {
    this.epoch++;
    this.floor = this.epoch;
    this.invalidatedAt.clear();
    this.entries.clear();
  }
}

/**
 * The heap an answer takes, estimated from its JSON text (two bytes a character, as V8 keeps most
 * strings once parsed, plus the objects around them, about as much again). Computed once, when the
 * answer is stored.
 */
function estimatedBytes(list: OrgInviteCollectionDto): number {
  return JSON.stringify(list).length * 2;
}
