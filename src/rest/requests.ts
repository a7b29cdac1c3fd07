import type { Context } from '@opentelemetry/api';
import type { ListInvitesQuery } from '../contract/types';
import { injectTraceContext } from '../observability/tracing/traceContext';
import type { CallerCredentials, CallOptions, InviteRef, OrgRef } from './invitesApi';

/** The API version Losant's own clients are generated for; the upstream routes on it. */
export const ACCEPT_VERSION = '^1.30.0';

/** Flags every official client appends to every action's query string. */
const CLIENT_FLAGS: ReadonlyArray<[string, string]> = [
  ['_actions', 'false'],
  ['_links', 'true'],
  ['_embedded', 'true'],
];

/** The paths of the actions with their parameters unfilled, as span names and `url.template` show them. */
export const INVITES_PATH_TEMPLATE = '/instances/{instanceId}/orgs/{orgId}/invites';
export const INVITE_PATH_TEMPLATE = `${INVITES_PATH_TEMPLATE}/{inviteId}`;

export function invitesPath({ instanceId, orgId }: OrgRef): string {
  return `/instances/${encodeURIComponent(instanceId)}/orgs/${encodeURIComponent(orgId)}/invites`;
}

export function invitePath(invite: InviteRef): string {
  return `${invitesPath(invite)}/${encodeURIComponent(invite.inviteId)}`;
}

/** Builds the query string of the list action: only the parameters that were given, then the flags. */
export function listInvitesSearch(query: ListInvitesQuery): string {
  const params = new URLSearchParams();
  if (query.sortField !== undefined) params.append('sortField', query.sortField);
  if (query.sortDirection !== undefined) params.append('sortDirection', query.sortDirection);
  if (query.filterField !== undefined) params.append('filterField', query.filterField);
  if (query.filter !== undefined) params.append('filter', query.filter);
  for (const [name, value] of CLIENT_FLAGS) params.append(name, value);
  return params.toString();
}

/** The flags alone, for actions without query parameters of their own. */
export function flagsSearch(): string {
  return listInvitesSearch({});
}

/**
 * Headers as the official clients send them (`Content-Type` only when there is a body), plus the
 * request id and W3C trace context (`traceparent`, `tracestate`) of `trace` so the upstream's logs
 * and spans join the gateway's.
 */
export function upstreamHeaders(
  credentials: CallerCredentials,
  withBody: boolean,
  call: CallOptions = {},
  trace: Context | undefined = call.trace,
): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Version': ACCEPT_VERSION,
    Authorization: credentials.authorization,
  };
  if (withBody) headers['Content-Type'] = 'application/json';
  if (credentials.losantdomain) headers.losantdomain = credentials.losantdomain;
  if (call.requestId) headers['x-request-id'] = call.requestId;
  if (trace) injectTraceContext(trace, headers);
  return headers;
}
