import type { OrgInviteDto } from '../contract/types';

import { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID } from '../demo/demoIds';

/*
 * The fixed demo world the embedded simulator starts with, in the organizations of
 * `demo/demoIds.ts`. README.md documents these values so every example there works verbatim;
 * change them together.
 */

export { DEMO_EMPTY_ORG_ID, DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID };

/** Time to live the simulator gives new invites: seven days, in milliseconds (see docs/development.md, "The simulator"). */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Demo API tokens and the scopes each carries, to exercise 401 and 403 paths. */
export const DEMO_TOKENS = {
  /** Scope `all.Instance`: may list and invite. */
  admin: 'demo-admin-token-7c4e1f',
  /** Scope `all.Instance.read`: may list, gets 403 on invite. */
  readOnly: 'demo-readonly-token-2b9d3a',
  /** Scope `all.Application`: gets 403 on every invite action. */
  noInvites: 'demo-noinvites-token-9e5a6c',
} as const;

export const DEMO_TOKEN_SCOPES: Readonly<Record<string, readonly string[]>> = {
  [DEMO_TOKENS.admin]: ['all.Instance'],
  [DEMO_TOKENS.readOnly]: ['all.Instance.read'],
  [DEMO_TOKENS.noInvites]: ['all.Application'],
};

export interface SeedOrg {
  readonly instanceId: string;
  readonly orgId: string;
  readonly invites: readonly OrgInviteDto[];
}

/** Invite ids are derived from a counter so they are stable across restarts. */
function inviteId(n: number): string {
  return `6a00000000000000000000${n.toString(16).padStart(2, '0')}`;
}

const APP_A = '5f1e0a9b2c3d4e5f607182a1';
const APP_B = '5f1e0a9b2c3d4e5f607182a2';
const DASH_A = '5f1e0a9b2c3d4e5f607182b1';

/**
 * The seed, relative to `now` so that some invites are pending and some have expired whenever
 * the demo runs.
 */
export function demoSeed(now: Date): SeedOrg[] {
  const daysAgo = (days: number): string => new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
  const invite = (n: number, email: string, role: OrgInviteDto['role'], days: number, extra: Partial<OrgInviteDto> = {}): OrgInviteDto => ({
    id: inviteId(n),
    email,
    role,
    applicationRoles: [],
    dashboardRoles: [],
    inviteDate: daysAgo(days),
    ttl: INVITE_TTL_MS,
    hasExpired: days > 7,
    disallowTransfer: false,
    ...extra,
  });
  return [
    {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_ORG_ID,
      invites: [
        invite(1, 'ada@example.com', 'admin', 1),
        invite(2, 'grace@example.com', 'edit', 2, { applicationRoles: [{ resourceId: APP_A, role: 'collaborate' }] }),
        invite(3, 'linus@example.org', 'view', 3, { dashboardRoles: [{ resourceId: DASH_A, role: 'view' }] }),
        invite(4, 'margaret@example.com', 'collaborate', 5, {
          applicationRoles: [
            { resourceId: APP_A, role: 'view' },
            { resourceId: APP_B, role: 'collaborate' },
          ],
          disallowTransfer: true,
        }),
        invite(5, 'ken@example.org', 'none', 6, { dashboardRoles: [{ resourceId: DASH_A, role: 'collaborate' }] }),
        invite(6, 'barbara@example.com', 'view', 10),
        invite(7, 'dennis@example.org', 'edit', 12),
      ],
    },
    {
      instanceId: DEMO_INSTANCE_ID,
      orgId: DEMO_SECOND_ORG_ID,
      invites: [
        invite(17, 'alan@example.net', 'admin', 1),
        invite(18, 'edsger@example.net', 'view', 4),
        invite(19, 'tony@example.net', 'edit', 9),
      ],
    },
    { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_EMPTY_ORG_ID, invites: [] },
  ];
}
