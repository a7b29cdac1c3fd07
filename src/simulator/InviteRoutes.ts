import type { OrgInviteCollectionDto } from '../contract/types';
import { UpstreamAction } from '../rest/upstreamActions';
import type { JsonAnswer } from './applyFault';
import type { TokenAuth } from './auth';
import { HttpProblem } from './HttpProblem';
import { DuplicateInviteError, InviteStore } from './InviteStore';
import { filterInvites, sortInvites } from './listing';
import type { RecordedRequest } from './RequestRecord';
import { ListQuery, RequestBody, decodePathSegment, invitePost, listQuery, requireObjectIds, roleInfo } from './requestValidation';

const INVITES_PATH = /^\/instances\/([^/]+)\/orgs\/([^/]+)\/invites\/?$/;
const INVITE_PATH = /^\/instances\/([^/]+)\/orgs\/([^/]+)\/invites\/([^/]+)\/?$/;

const COLLECTION_ACTIONS: Readonly<Record<string, UpstreamAction>> = { GET: UpstreamAction.listInvites, POST: UpstreamAction.inviteMember };
/** The single-invite resource: `GET` reads, `DELETE` revokes, `POST` resends with new roles. */
const INVITE_ACTIONS: Readonly<Record<string, UpstreamAction>> = {
  GET: UpstreamAction.getInvite,
  DELETE: UpstreamAction.revokeInvite,
  POST: UpstreamAction.resendInvite,
};

/**
 * The invite actions of the Losant REST API over an in-memory store: each request is routed,
 * authorized, validated and answered in the order the real API checks them. Refusals are thrown
 * as `HttpProblem`s.
 */
export class InviteRoutes {
  constructor(
    private readonly store: InviteStore,
    private readonly auth: TokenAuth,
  ) {}

  answer(request: RecordedRequest, body: RequestBody): JsonAnswer {
    const single = INVITE_PATH.exec(request.path);
    if (single) return this.invite(request, body, single.slice(1).map(decodePathSegment));
    const match = INVITES_PATH.exec(request.path);
    if (!match) throw new HttpProblem(404, 'NotFound', `No route for ${request.method} ${request.path}`);
    return this.collection(request, body, match.slice(1).map(decodePathSegment));
  }

  private collection(request: RecordedRequest, body: RequestBody, [instanceId, orgId]: string[]): JsonAnswer {
    const action = this.allowed(request, COLLECTION_ACTIONS);
    requireObjectIds({ instanceId, orgId });
    if (action === UpstreamAction.listInvites) {
      const query = listQuery(request.query);
      this.requireOrg(instanceId, orgId);
      return { status: 200, body: this.listing(instanceId, orgId, query) };
    }

    const invite = invitePost(body);
    this.requireOrg(instanceId, orgId);
    try {
      this.store.add(instanceId, orgId, invite);
    } catch (error) {
      if (error instanceof DuplicateInviteError) throw new HttpProblem(400, 'Validation', error.message);
      throw error;
    }
    return { status: 201, body: this.listing(instanceId, orgId, { sortField: 'inviteDate', sortDirection: 'desc' }) };
  }

  private invite(request: RecordedRequest, body: RequestBody, [instanceId, orgId, inviteId]: string[]): JsonAnswer {
    const action = this.allowed(request, INVITE_ACTIONS);
    requireObjectIds({ instanceId, orgId, inviteId });
    const roles = action === UpstreamAction.resendInvite ? roleInfo(body) : undefined;
    this.requireOrg(instanceId, orgId);
    const notFound = new HttpProblem(404, 'NotFound', 'Invite was not found');
    switch (action) {
      case UpstreamAction.getInvite: {
        const invite = this.store.find(instanceId, orgId, inviteId);
        if (!invite) throw notFound;
        return { status: 200, body: invite };
      }
      case UpstreamAction.revokeInvite:
        if (!this.store.remove(instanceId, orgId, inviteId)) throw notFound;
        return { status: 200, body: { success: true } };
      default: {
        const invite = roles && this.store.resend(instanceId, orgId, inviteId, roles);
        if (!invite) throw notFound;
        return { status: 201, body: invite };
      }
    }
  }

  /** The action the method names on this resource, once the token may take it: 405, 401 or 403 otherwise. */
  private allowed(request: RecordedRequest, actions: Readonly<Record<string, UpstreamAction>>): UpstreamAction {
    const action = Object.hasOwn(actions, request.method) ? actions[request.method] : undefined;
    if (!action) throw new HttpProblem(405, 'MethodNotAllowed', `${request.method} is not supported on this resource`);
    this.auth.authorize(request.headers.authorization, action);
    return action;
  }

  private requireOrg(instanceId: string, orgId: string): void {
    if (!this.store.hasInstance(instanceId)) throw new HttpProblem(404, 'NotFound', 'Instance was not found');
    if (!this.store.invites(instanceId, orgId)) throw new HttpProblem(404, 'NotFound', 'Organization was not found');
  }

  /** The organization's invites as the list action answers them; the caller has checked the organization exists. */
  private listing(instanceId: string, orgId: string, query: ListQuery): OrgInviteCollectionDto & { _links: unknown; _type: string } {
    const all = this.store.invites(instanceId, orgId) ?? [];
    const items = sortInvites(filterInvites(all, query.filterField, query.filter), query.sortField, query.sortDirection);
    return {
      items,
      count: items.length,
      instanceId,
      orgId,
      sortField: query.sortField,
      sortDirection: query.sortDirection,
      ...(query.filterField !== undefined ? { filterField: query.filterField } : {}),
      ...(query.filter !== undefined ? { filter: query.filter } : {}),
      // Like the real API, responses carry properties a client must ignore.
      _type: 'orgInvites',
      _links: { self: { href: `/instances/${instanceId}/orgs/${orgId}/invites` } },
    };
  }
}
