import type { OrgInviteDto } from '../../src/contract/types';
import { DEMO_INSTANCE_ID, INVITE_TTL_MS, type SeedOrg } from '../../src/simulator/demoData';

/** An organization of its own for paging tests, beside the demo ones. */
export const LARGE_ORG_ID = '5f1e0a9b2c3d4e5f607182ff';

const ROLES: ReadonlyArray<OrgInviteDto['role']> = ['admin', 'edit', 'collaborate', 'view', 'none'];

/**
 * A seed organization with `count` invites: distinct emails, roles repeating (so sorting by role
 * has long runs of ties), and dates a minute apart, every tenth one shared with its neighbour.
 */
export function largeOrgSeed(count: number, now = Date.now()): SeedOrg {
  const invites: OrgInviteDto[] = Array.from({ length: count }, (_, n) => ({
    id: (0x7b000000 + n).toString(16).padStart(24, '0'),
    email: `member${String(n).padStart(5, '0')}@paging.example`,
    role: ROLES[n % ROLES.length],
    applicationRoles: [],
    dashboardRoles: [],
    inviteDate: new Date(now - (n - (n % 10 === 1 ? 1 : 0)) * 60_000).toISOString(),
    ttl: INVITE_TTL_MS,
    hasExpired: false,
    disallowTransfer: false,
  }));
  return { instanceId: DEMO_INSTANCE_ID, orgId: LARGE_ORG_ID, invites };
}
