import type { Context } from '@opentelemetry/api';
import type {
  ListInvitesQuery,
  OrgInviteCollectionDto,
  OrgInviteDto,
  OrgInvitePostDto,
  OrgRoleInfoDto,
  SuccessDto,
} from '../contract/types';
import type { UpstreamAction } from './upstreamActions';

/** Who is calling: forwarded to the upstream as received, never stored beyond the request. */
export interface CallerCredentials {
  /** The incoming `Authorization` header value, forwarded verbatim. */
  readonly authorization: string;
  /** The `losantdomain` header to send, if any. */
  readonly losantdomain?: string;
}

export interface OrgRef {
  readonly instanceId: string;
  readonly orgId: string;
}

/** Per-call settings that come from the GraphQL operation making the call. */
export interface CallOptions {
  /** Epoch milliseconds by which the whole operation must be done; calls and retries stop there. */
  readonly deadline?: number;
  /** The GraphQL request's id, sent as `x-request-id` so both sides' logs can be joined. */
  readonly requestId?: string;
  /**
   * The trace the call belongs to: its operation's span when tracing is on, else the caller's
   * context. The upstream gets it as `traceparent`, through the call's own span when there is one.
   */
  readonly trace?: Context;
  /** Which try of the same call this is, from 1; set by the retries. */
  readonly attempt?: number;
}

/** One invite of an organization (the single-invite resource). */
export interface InviteRef extends OrgRef {
  readonly inviteId: string;
}

/**
 * The upstream's invite actions. `HttpInvitesApi` is the real implementation; tests may stand a
 * simulator behind the same URL instead of replacing this interface.
 */
export interface InvitesApi {
  /** `GET /instances/{instanceId}/orgs/{orgId}/invites` */
  listInvites(org: OrgRef, query: ListInvitesQuery, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto>;
  /** `POST /instances/{instanceId}/orgs/{orgId}/invites`; never retried. */
  inviteMember(org: OrgRef, invite: OrgInvitePostDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteCollectionDto>;
  /** `GET /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}` */
  getInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto>;
  /** `DELETE /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}`; never retried. */
  revokeInvite(invite: InviteRef, credentials: CallerCredentials, call?: CallOptions): Promise<SuccessDto>;
  /** `POST /instances/{instanceId}/orgs/{orgId}/invites/{inviteId}` with `orgRoleInfo`; never retried. */
  resendInvite(invite: InviteRef, roles: OrgRoleInfoDto, credentials: CallerCredentials, call?: CallOptions): Promise<OrgInviteDto>;
}

/** One finished upstream call, reported for logs and metrics. */
export interface UpstreamCallEvent {
  readonly action: UpstreamAction;
  readonly method: string;
  readonly path: string;
  /** HTTP status, or `undefined` when no response arrived. */
  readonly status?: number;
  readonly durationMs: number;
  /** The code of the error the call ended in, if any. */
  readonly errorCode?: string;
  /** The GraphQL request that made the call. */
  readonly requestId?: string;
  /** The trace context the call was sent with: its own span when tracing is on, else the caller's context. */
  readonly trace?: Context;
}
