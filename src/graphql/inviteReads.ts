import type { GatewayContext } from '../context/gatewayContext';
import { collectionView, inviteView } from './collectionView';
import { callerCredentials } from './credentials';
import type { ConnectionPageArgs, InviteListArgs } from './args/listArgs';
import { encodeCursor, listDigest } from './paging/cursor';
import { orderedPositions } from './paging/inviteOrder';
import { pageRequestOf } from './paging/pageRequest';
import { pageWindow } from './paging/pageWindow';
import { listQueryOf } from './restMapping/listQuery';
import type { OrgInvite } from './types/OrgInvite';
import type { OrgInviteConnection } from './types/OrgInviteConnection';
import type { OrgInviteCollection } from './types/OrgInviteCollection';
import { validInviteRef, validOrgRef } from './validRefs';

/** What a list read is asked for: the organization, the sort and filter, and the `losantdomain` argument. */
export interface InviteListRead extends InviteListArgs {
  readonly instanceId: string;
  readonly orgId: string;
  readonly losantdomain?: string | null;
}

/** What a connection read is asked for: a list read and Relay's paging arguments. */
export interface InviteConnectionRead extends InviteListRead, ConnectionPageArgs {}

/** What a single-invite read is asked for: the invite's ids and the `losantdomain` argument. */
export interface InviteRead {
  readonly instanceId: string;
  readonly orgId: string;
  readonly inviteId: string;
  readonly losantdomain?: string | null;
}

/*
 * Reads through the request's loader, shared by the root fields and federation's reference
 * resolvers so that every path to the same data dedupes against the others.
 */

/**
 * One organization's invites: checks the ids and the list arguments, takes the caller's
 * credentials, and answers the GraphQL view, counted against what the request's answer may carry
 * (`MAX_RESPONSE_ITEMS`). Read by `orgInvites` and `InstanceOrg.invites`.
 */
export async function readInviteList(context: GatewayContext, read: InviteListRead): Promise<OrgInviteCollection> {
  const org = validOrgRef(read);
  const query = listQueryOf(read);
  const credentials = callerCredentials(context, read.losantdomain);
  const collection = await context.inviteLoader.loadInviteList({ org, query, credentials });
  context.responseBudget.listArrived();
  // Counted before its view is built: an answer over the limit is never made.
  context.responseBudget.carry(collection.items.length);
  return collectionView(collection, org);
}

/**
 * A page of one organization's invites as a Relay connection. Reads the whole list through the
 * same loader call as `readInviteList` (the upstream list is not paged, so the same list asked
 * twice in one operation is one call), orders it as the gateway pages it (`orderedPositions`) and
 * slices it at the cursors' positions. Only the page is counted against `MAX_RESPONSE_ITEMS`, and
 * only its invites get a view. Arguments and cursors are checked before the upstream call.
 */
export async function readInviteConnection(context: GatewayContext, read: InviteConnectionRead): Promise<OrgInviteConnection> {
  const org = validOrgRef(read);
  const query = listQueryOf(read);
  const list = listDigest(org, query);
  const request = pageRequestOf(read, query, list, context.maxPageSize);
  const credentials = callerCredentials(context, read.losantdomain);
  const collection = await context.inviteLoader.loadInviteList({ org, query, credentials });
  context.responseBudget.listArrived();
  // The loader always sends both (listQueryOf sets them), so the upstream sorted as asked.
  const ordered = orderedPositions(collection.items, query.sortField ?? 'inviteDate', query.sortDirection ?? 'desc');
  const window = pageWindow(ordered.positions, query.sortDirection ?? 'desc', request);
  context.responseBudget.carry(window.end - window.start);
  const edges = [];
  for (let index = window.start; index < window.end; index++) {
    edges.push({ cursor: encodeCursor(list, ordered.positions[index]), node: inviteView(ordered.invites[index], org) });
  }
  return {
    edges,
    pageInfo: {
      hasPreviousPage: window.hasPreviousPage,
      hasNextPage: window.hasNextPage,
      startCursor: edges.length > 0 ? edges[0].cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
    totalCount: ordered.positions.length,
  };
}

/** One invite, ids checked first; `inviteIdPath` names the invite's id in errors. Read by `orgInvite` and `OrgInvite`'s reference. */
export async function readInvite(context: GatewayContext, read: InviteRead, inviteIdPath?: string): Promise<OrgInvite> {
  const invite = validInviteRef(read, inviteIdPath);
  const credentials = callerCredentials(context, read.losantdomain);
  return inviteView(await context.inviteLoader.loadInvite({ invite, credentials }), invite);
}
