import type { OrgInvitePostDto, OrgRoleInfoDto } from '../../contract/types';
import { ORG_ROLE_TO_REST } from '../restEnums';
import type { OrgInviteInput } from '../types/OrgInviteInput';
import type { OrgRoleInfoInput } from '../types/OrgRoleInfoInput';
import { grantsToRest } from './grants';

/** The `orgInvitePost` body for an input: absent optionals are left out rather than sent as null. */
export function invitePostBody(input: OrgInviteInput): OrgInvitePostDto {
  const body: OrgInvitePostDto = { email: input.email, role: ORG_ROLE_TO_REST[input.role] };
  const applicationRoles = grantsToRest(input.applicationRoles);
  const dashboardRoles = grantsToRest(input.dashboardRoles);
  if (applicationRoles) body.applicationRoles = applicationRoles;
  if (dashboardRoles) body.dashboardRoles = dashboardRoles;
  if (input.disallowTransfer != null) body.disallowTransfer = input.disallowTransfer;
  return body;
}

/** The `orgRoleInfo` body for an input: fields left out (or null) are not sent, so they keep their value. */
export function roleInfoBody(input: OrgRoleInfoInput): OrgRoleInfoDto {
  const body: OrgRoleInfoDto = {};
  if (input.role != null) body.role = ORG_ROLE_TO_REST[input.role];
  const applicationRoles = grantsToRest(input.applicationRoles);
  const dashboardRoles = grantsToRest(input.dashboardRoles);
  if (applicationRoles) body.applicationRoles = applicationRoles;
  if (dashboardRoles) body.dashboardRoles = dashboardRoles;
  return body;
}
