import { randomBytes } from 'node:crypto';
import type { OrgInviteDto, OrgInvitePostDto, OrgRoleInfoDto } from '../contract/types';
import { INVITE_TTL_MS, SeedOrg } from './demoData';

type StoredInvite = Omit<OrgInviteDto, 'hasExpired'>;

function orgKey(instanceId: string, orgId: string): string {
  return `${instanceId.toLowerCase()}/${orgId.toLowerCase()}`;
}

export class DuplicateInviteError extends Error {}

/** The simulator's state: organizations and their invites, in memory, per simulator instance. */
export class InviteStore {
  private readonly instances = new Set<string>();
  private readonly orgs = new Map<string, StoredInvite[]>();

  constructor(
    seed: readonly SeedOrg[],
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const org of seed) {
      this.instances.add(org.instanceId.toLowerCase());
      this.orgs.set(
        orgKey(org.instanceId, org.orgId),
        org.invites.map(({ hasExpired: _computed, ...invite }) => ({ ...invite })),
      );
    }
  }

  hasInstance(instanceId: string): boolean {
    return this.instances.has(instanceId.toLowerCase());
  }

  /** The org's invites as the API shows them (`hasExpired` computed now), or `undefined` for an unknown org. */
  invites(instanceId: string, orgId: string): OrgInviteDto[] | undefined {
    const stored = this.orgs.get(orgKey(instanceId, orgId));
    return stored?.map((invite) => this.present(invite));
  }

  /**
   * Adds an invite. A second pending (not expired) invite for the same email, compared
   * case-insensitively, is refused: the upstream would otherwise mail the person twice.
   */
  add(instanceId: string, orgId: string, post: OrgInvitePostDto): OrgInviteDto {
    const stored = this.orgs.get(orgKey(instanceId, orgId));
    if (!stored) throw new Error('unknown organization');
    const email = post.email.toLowerCase();
    if (stored.some((invite) => invite.email.toLowerCase() === email && !this.present(invite).hasExpired)) {
      throw new DuplicateInviteError(`An invite for ${post.email} is already pending`);
    }
    const invite: StoredInvite = {
      id: randomBytes(12).toString('hex'),
      email: post.email,
      role: post.role,
      applicationRoles: post.applicationRoles ?? [],
      dashboardRoles: post.dashboardRoles ?? [],
      inviteDate: this.now().toISOString(),
      ttl: INVITE_TTL_MS,
      disallowTransfer: post.disallowTransfer ?? false,
    };
    stored.push(invite);
    return this.present(invite);
  }

  /** One invite, or `undefined` when the org or the invite is unknown. */
  find(instanceId: string, orgId: string, inviteId: string): OrgInviteDto | undefined {
    const stored = this.stored(instanceId, orgId, inviteId);
    return stored ? this.present(stored) : undefined;
  }

  /** Deletes an invite; answers whether there was one. */
  remove(instanceId: string, orgId: string, inviteId: string): boolean {
    const invites = this.orgs.get(orgKey(instanceId, orgId));
    const index = invites?.findIndex((invite) => invite.id.toLowerCase() === inviteId.toLowerCase()) ?? -1;
    if (!invites || index === -1) return false;
    invites.splice(index, 1);
    return true;
  }

  /**
   * Resends an invite: the given role fields replace the old ones, and the invite is dated now,
   * so its time to live starts again. It keeps its id. `undefined` when the invite is unknown.
   */
  resend(instanceId: string, orgId: string, inviteId: string, roles: OrgRoleInfoDto): OrgInviteDto | undefined {
    const stored = this.stored(instanceId, orgId, inviteId);
    if (!stored) return undefined;
    if (roles.role !== undefined) stored.role = roles.role;
    if (roles.applicationRoles !== undefined) stored.applicationRoles = roles.applicationRoles;
    if (roles.dashboardRoles !== undefined) stored.dashboardRoles = roles.dashboardRoles;
    stored.inviteDate = this.now().toISOString();
    stored.ttl = INVITE_TTL_MS;
    return this.present(stored);
  }

  private stored(instanceId: string, orgId: string, inviteId: string): StoredInvite | undefined {
    return this.orgs.get(orgKey(instanceId, orgId))?.find((invite) => invite.id.toLowerCase() === inviteId.toLowerCase());
  }

  private present(invite: StoredInvite): OrgInviteDto {
    return { ...invite, hasExpired: Date.parse(invite.inviteDate) + invite.ttl <= this.now().getTime() };
  }
}
