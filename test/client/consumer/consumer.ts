/*
 * What a frontend writes against the client: type-checked against client/ with a frontend-style
 * tsconfig (bundler resolution, DOM, verbatimModuleSyntax) by test/client/consumer.process.test.ts, and
 * compiled and run against the packed package, with the import below naming it, under each module
 * resolution by test/client/package.process.test.ts (through run.ts). Everything is exported so that
 * noUnusedLocals holds without use sites.
 */
import { print } from 'graphql';
import {
  ErrorCode,
  InviteMemberDocument,
  InviteSortField,
  InviteStatus,
  ListOrgInvitesDocument,
  OrgWithInvitesDocument,
  errorCodeOf,
  type GatewayError,
  type GatewayResponse,
  type InviteMemberMutation,
  type InviteMemberMutationVariables,
  type ListOrgInvitesQueryVariables,
  type OrgInviteFieldsFragment,
  type OrgRole,
  type ResultOf,
  type TypedDocumentNode,
  type VariablesOf,
} from '../../../client/index.js';

/** A frontend's fetch wrapper: result and variable types both come from the document. */
export async function send<TResult, TVariables>(
  url: string,
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<GatewayResponse<TResult>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as GatewayResponse<TResult>;
}

/** Variables of the generated type; enums as string literals or through their value objects. */
export const pendingExampleOrgInvites: ListOrgInvitesQueryVariables = {
  instanceId: '5f1e0a9b2c3d4e5f60718293',
  orgId: '5f1e0a9b2c3d4e5f60718294',
  sortField: InviteSortField.EMAIL,
  sortDirection: 'ASC',
  filterField: 'EMAIL',
  filter: '*@example.org',
};

export const newEditor: InviteMemberMutationVariables = {
  instanceId: '5f1e0a9b2c3d4e5f60718293',
  orgId: '5f1e0a9b2c3d4e5f60718295',
  invite: { email: 'barbara@example.net', role: 'EDIT', applicationRoles: [{ resourceId: '5f1e0a9b2c3d4e5f607182a1', role: 'VIEW' }] },
};

/** One row of an invites table, read from the generated fragment type. */
export interface InviteRow {
  readonly email: string;
  readonly role: OrgRole;
  readonly sentAt: Date;
  readonly pending: boolean;
  readonly grants: number;
}

export function toRow(invite: OrgInviteFieldsFragment): InviteRow {
  return {
    email: invite.email,
    role: invite.role,
    sentAt: new Date(invite.inviteDate), // DateTime is an ISO string
    pending: invite.status === InviteStatus.PENDING,
    grants: invite.applicationRoles.length + invite.dashboardRoles.length,
  };
}

/**
 * What to tell the user for each code. Exhaustive on purpose: when the schema gains a code, this
 * stops compiling after `npm run codegen`, as a frontend's switch would; add a case for it.
 */
export function messageFor(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 'Please sign in again.';
    case ErrorCode.FORBIDDEN:
      return 'Your token may not do this.';
    case ErrorCode.NOT_FOUND:
      return 'That organization does not exist.';
    case ErrorCode.BAD_USER_INPUT:
      return 'Please check the form.';
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.UPSTREAM_ERROR:
    case ErrorCode.UPSTREAM_UNAVAILABLE:
    case ErrorCode.UPSTREAM_TIMEOUT:
    case ErrorCode.SHUTTING_DOWN:
      return 'Losant is not answering; try again shortly.';
    case ErrorCode.OPERATION_LIMIT_EXCEEDED:
    case ErrorCode.REQUEST_TOO_LARGE:
    case ErrorCode.RESPONSE_TOO_LARGE:
      return 'Ask for fewer invites at once.';
    case ErrorCode.INTERNAL_SERVER_ERROR:
    case ErrorCode.GRAPHQL_PARSE_FAILED:
    case ErrorCode.GRAPHQL_VALIDATION_FAILED:
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.OPERATION_RESOLUTION_FAILURE:
    case ErrorCode.PERSISTED_QUERY_NOT_FOUND:
    case ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED:
    case ErrorCode.DOCUMENT_NOT_TRUSTED:
    case ErrorCode.ROUTER_ONLY:
      return 'Something went wrong on our side.';
    default: {
      const unknownCode: never = code;
      return unknownCode;
    }
  }
}

/** The error that nulled a root field: its `path` starts with the field's name or alias. */
export function errorFor(response: GatewayResponse<unknown>, field: string): GatewayError | undefined {
  return response.errors?.find((error) => error.path?.[0] === field);
}

export async function loadPendingTable(url: string, token: string): Promise<InviteRow[] | string> {
  const response = await send(url, token, ListOrgInvitesDocument, pendingExampleOrgInvites);
  // `orgInvites` can fail on its own, so it is nullable: null comes with its error in `errors`.
  const invites = response.data?.orgInvites;
  if (!invites) {
    const error = errorFor(response, 'orgInvites') ?? response.errors?.[0];
    if (!error) return 'No answer.';
    const code = errorCodeOf(error);
    return code ? messageFor(code) : error.message;
  }
  return invites.items.map(toRow).filter((row) => row.pending);
}

/**
 * Both levels are nullable, so the generated type makes the caller check them: `inviteMember` is
 * null when the invite failed (its error is in `errors`), `invite` when the upstream left it out.
 */
export function invitedEmail(result: InviteMemberMutation): string | undefined {
  return result.inviteMember?.invite?.email;
}

/** ResultOf / VariablesOf read the types off a document without naming them. */
export type OrgWithInvitesResult = ResultOf<typeof OrgWithInvitesDocument>;
export const secondOrg: VariablesOf<typeof OrgWithInvitesDocument> = {
  instanceId: '5f1e0a9b2c3d4e5f60718293',
  orgId: '5f1e0a9b2c3d4e5f60718295',
};
/** Undefined when the organization's ids were malformed or its invites could not be read. */
export function inviteCount(result: OrgWithInvitesResult): number | undefined {
  return result.instanceOrg?.invites?.count;
}
export const inviteMemberDocument: TypedDocumentNode<InviteMemberMutation, InviteMemberMutationVariables> = InviteMemberDocument;
