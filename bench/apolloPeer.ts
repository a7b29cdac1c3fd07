/**
 * The peer: what a frontend platform team would write instead of this gateway. An Apollo Server 5
 * standalone server, SDL first, one `RESTDataSource` (node-fetch 2 underneath) per request, plain
 * resolvers; no limits, no logs, no metrics, no tracing. Its SDL holds only what the benchmark's
 * list, alias and `{ __typename }` queries select. Run as its own process
 * (`UPSTREAM_URL=... node dist-bench/bench/apolloPeer.js`; prints `{"port":N}` once listening and
 * exits when its parent closes its stdin).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { AugmentedRequest, RESTDataSource } from '@apollo/datasource-rest';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { OrgInviteCollectionDto, OrgInviteDto } from '../src/contract/types';
import { serveAsHelper, upstreamUrlFromEnv } from './helperProcess';

/** The peers' schema: only what the benchmark's list, alias and `{ __typename }` queries select. */
export const typeDefs = `#graphql
  type Query {
    orgInvites(instanceId: ID!, orgId: ID!, sortField: InviteSortField, sortDirection: SortDirection): OrgInviteCollection!
  }
  type OrgInviteCollection {
    items: [OrgInvite!]!
    count: Int!
    sortField: InviteSortField
    sortDirection: SortDirection
  }
  type OrgInvite {
    id: ID!
    email: String!
    role: OrgRole!
    hasExpired: Boolean!
    disallowTransfer: Boolean!
    applicationRoles: [ResourceRoleGrant!]!
    dashboardRoles: [ResourceRoleGrant!]!
  }
  type ResourceRoleGrant {
    resourceId: ID!
    role: ResourceRole!
  }
  enum OrgRole { ADMIN EDIT COLLABORATE VIEW NONE }
  enum ResourceRole { COLLABORATE VIEW NONE }
  enum InviteSortField { EMAIL ROLE INVITE_DATE }
  enum SortDirection { ASC DESC }
`;

class InvitesAPI extends RESTDataSource {
  constructor(
    baseURL: string,
    private readonly token: string | undefined,
    cache: KeyValueCache,
  ) {
    super({ cache });
    this.baseURL = baseURL;
  }

  override willSendRequest(_path: string, request: AugmentedRequest): void {
    request.headers['accept-version'] = '^1.30.0';
    if (this.token) request.headers.authorization = this.token;
  }

  list(instanceId: string, orgId: string, sortField?: string, sortDirection?: string): Promise<OrgInviteCollectionDto> {
    const params: Record<string, string> = {};
    if (sortField) params.sortField = sortField;
    if (sortDirection) params.sortDirection = sortDirection;
    return this.get<OrgInviteCollectionDto>(`instances/${encodeURIComponent(instanceId)}/orgs/${encodeURIComponent(orgId)}/invites`, {
      params: { ...params, _actions: 'false', _links: 'true', _embedded: 'true' },
    });
  }
}

interface PeerContext {
  readonly dataSources: { readonly invites: InvitesAPI };
}

export interface ListArgs {
  readonly instanceId: string;
  readonly orgId: string;
  readonly sortField?: string;
  readonly sortDirection?: string;
}

/** The peers' resolvers but `Query`'s, which each peer writes with its own REST client. */
export const sharedResolvers = {
  // Enum values map to the REST API's spelling, both ways.
  OrgRole: { ADMIN: 'admin', EDIT: 'edit', COLLABORATE: 'collaborate', VIEW: 'view', NONE: 'none' },
  ResourceRole: { COLLABORATE: 'collaborate', VIEW: 'view', NONE: 'none' },
  InviteSortField: { EMAIL: 'email', ROLE: 'role', INVITE_DATE: 'inviteDate' },
  SortDirection: { ASC: 'asc', DESC: 'desc' },
  OrgInvite: {
    disallowTransfer: (invite: OrgInviteDto) => invite.disallowTransfer ?? false,
    applicationRoles: (invite: OrgInviteDto) => invite.applicationRoles ?? [],
    dashboardRoles: (invite: OrgInviteDto) => invite.dashboardRoles ?? [],
  },
};

const resolvers = {
  ...sharedResolvers,
  Query: {
    orgInvites: (_: unknown, args: ListArgs, { dataSources }: PeerContext) =>
      dataSources.invites.list(args.instanceId, args.orgId, args.sortField, args.sortDirection),
  },
};

export async function startApolloPeer(upstreamUrl: string, port = 0): Promise<string> {
  const server = new ApolloServer<PeerContext>({ typeDefs, resolvers });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }) => ({ dataSources: { invites: new InvitesAPI(upstreamUrl, req.headers.authorization, server.cache) } }),
  });
  return url;
}

if (require.main === module) {
  const upstreamUrl = upstreamUrlFromEnv();
  serveAsHelper(async (port) => Number(new URL(await startApolloPeer(upstreamUrl, port)).port));
}
