import type { GatewayContext } from '../context/GatewayContext';
import { collectionView, inviteView } from './collectionView';
import { callerCredentials } from './credentials';
import type { InviteListArgs } from './args/listArgs';
import { listQueryOf } from './restMapping/listQuery';
import type { OrgInvite } from './types/OrgInvite';
import type { OrgInviteCollection } from './types/OrgInviteCollection';
import { validInviteRef, validOrgRef } from './validRefs';

/*
 * Reads through the request's loader, shared by the root fields and federation's reference
 * resolvers so that every path to the same data dedupes against the others.
 */

/**
 * One organization's invites: checks the ids and the list arguments, takes the caller's
 * credentials, and answers the GraphQL view, counted against what the request's answer may carry
 * (`MAX_RESPONSE_ITEMS`). Read by `orgInvites` and `InstanceOrg.invites`.
 */
export async function readInviteList(
  context: GatewayContext,
  ids: { instanceId: string; orgId: string },
  listArgs: InviteListArgs,
  losantdomain: string | null | undefined,
): Promise<OrgInviteCollection> {
  const org = validOrgRef(ids);
  const query = listQueryOf(listArgs);
  const credentials = callerCredentials(context, losantdomain);
  const collection = await context.invites.listInvites({ org, query, credentials });
  context.responseBudget.listArrived();
  // Counted before its view is built: an answer over the limit is never made.
  context.responseBudget.carry(collection.items.length);
  return collectionView(collection, org);
}

/** One invite, ids checked first; `inviteIdPath` names the invite's id in errors. Read by `orgInvite` and `OrgInvite`'s reference. */
export async function readInvite(
  context: GatewayContext,
  ids: { instanceId: string; orgId: string; inviteId: string },
  losantdomain: string | null | undefined,
  inviteIdPath?: string,
): Promise<OrgInvite> {
  const invite = validInviteRef(ids, inviteIdPath);
  const credentials = callerCredentials(context, losantdomain);
  return inviteView(await context.invites.getInvite({ invite, credentials }), invite);
}
