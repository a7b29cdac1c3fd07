import type { ResourceRoleGrantDto } from '../../contract/types';
import { RESOURCE_ROLE_TO_REST } from '../restEnums';
import type { ResourceRoleGrantInput } from '../types/ResourceRoleGrant';

/** Role grants in REST form; `undefined` when the list was not given. */
export function grantsToRest(grants: readonly ResourceRoleGrantInput[] | null | undefined): ResourceRoleGrantDto[] | undefined {
  if (grants === undefined || grants === null) return undefined;
  return grants.map((grant) => ({ resourceId: grant.resourceId, role: RESOURCE_ROLE_TO_REST[grant.role] }));
}
