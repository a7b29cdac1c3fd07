import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { InviteFilterFieldValue, InviteSortFieldValue, OrgInviteDto, SortDirectionValue } from '../../../src/contract/types';
import { RequestContext } from '../../../src/context/RequestContext';
import { ResponseBudget } from '../../../src/context/responseBudget';
import { UpstreamCallBudget } from '../../../src/context/UpstreamCallBudget';
import { InviteLoader } from '../../../src/loaders/InviteLoader';
import type { InvitesApi } from '../../../src/rest/invitesApi';
import { createLogger } from '../../../src/observability/logger';
import { filterInvites, sortInvites } from '../../../src/simulator/listing';

/** How the model upstream orders invites whose sort keys are equal. */
export type TieOrder = 'byId' | 'shuffled';

/**
 * An upstream held in memory: one organization's invites, listed with the simulator's own filter
 * and sort (`src/simulator/listing.ts`), or, with `shuffled`, sorted by key alone with ties in a
 * new pseudo-random order on every call (an upstream that breaks ties its own way). Only the list
 * action is served; it counts its calls.
 */
export class ModelUpstream {
  readonly invites: OrgInviteDto[] = [];
  listCalls = 0;
  private random: number;

  constructor(
    private readonly tieOrder: TieOrder,
    seed = 1,
  ) {
    this.random = seed >>> 0 || 1;
  }

  /** xorshift32: reproducible from the fast-check case's seed. */
  private next(): number {
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random;
  }

  list(
    sortField: InviteSortFieldValue,
    direction: SortDirectionValue,
    filterField?: InviteFilterFieldValue,
    filter?: string,
  ): OrgInviteDto[] {
    const filtered = filterInvites(this.invites, filterField, filter);
    if (this.tieOrder === 'byId') return sortInvites(filtered, sortField, direction);
    const sign = direction === 'asc' ? 1 : -1;
    const key = (invite: OrgInviteDto) => (sortField === 'inviteDate' ? Date.parse(invite.inviteDate) : invite[sortField]);
    const ranks = new Map(filtered.map((invite) => [invite.id, this.next()]));
    return filtered.sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return sign * (ka < kb ? -1 : ka > kb ? 1 : 0) || ranks.get(a.id)! - ranks.get(b.id)!;
    });
  }

  readonly api: InvitesApi = {
    listInvites: async (org, query) => {
      this.listCalls++;
      const items = this.list(query.sortField ?? 'inviteDate', query.sortDirection ?? 'desc', query.filterField, query.filter);
      return {
        items,
        count: items.length,
        instanceId: org.instanceId,
        orgId: org.orgId,
        sortField: query.sortField,
        sortDirection: query.sortDirection,
      };
    },
    inviteMember: () => Promise.reject(new Error('not served by the model')),
    getInvite: () => Promise.reject(new Error('not served by the model')),
    revokeInvite: () => Promise.reject(new Error('not served by the model')),
    resendInvite: () => Promise.reject(new Error('not served by the model')),
  };

  /** A fresh request's context over this upstream, as the gateway builds one per HTTP request. */
  context(maxPageSize = 100): RequestContext {
    return new RequestContext({
      requestId: 'model',
      authorization: 'Bearer model-token',
      inviteLoader: InviteLoader.forRequest(this.api),
      upstreamBudget: new UpstreamCallBudget(),
      responseBudget: new ResponseBudget(10_000, Date.now() + 60_000),
      maxPageSize,
      trace: ROOT_CONTEXT,
      logFields: { requestId: 'model' },
      rootLogger: createLogger('silent'),
    });
  }
}
