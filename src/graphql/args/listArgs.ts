import { ArgsType, Field, Int, type ClassType } from 'type-graphql';
import { InviteFilterField, InviteSortField, SortDirection } from '../enums';
import { DomainArg } from './domainArg';
import { OrgRefArgs } from './refArgs';

/** Sort and filter arguments, shared by every field that lists invites. */
export interface InviteListArgs {
  sortField: InviteSortField;
  sortDirection: SortDirection;
  filterField?: InviteFilterField | null;
  filter?: string | null;
}

/**
 * `Base`'s arguments followed by the sort and filter ones. A mixin, since one list field takes the
 * organization's ids before them and the other (on the organization itself) takes none.
 */
function withInviteListArgs<TBase extends ClassType>(Base: TBase) {
  @ArgsType()
  class WithInviteListArgs extends Base implements InviteListArgs {
    @Field(() => InviteSortField, { defaultValue: InviteSortField.INVITE_DATE, description: 'Field to sort the results by.' })
    sortField!: InviteSortField;

    @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'Direction to sort the results by.' })
    sortDirection!: SortDirection;

    @Field(() => InviteFilterField, {
      nullable: true,
      description: 'Field to filter the results by. Not provided means no filtering.',
    })
    filterField?: InviteFilterField | null;

    @Field(() => String, {
      nullable: true,
      description:
        'Filter to apply against `filterField`. Supports globbing (`*` any run of characters, `?` one character). ' +
        'Blank or not provided means no filtering; a non-blank filter needs `filterField`.',
    })
    filter?: string | null;
  }
  return WithInviteListArgs;
}

/** `Query.orgInvites`. */
@ArgsType()
export class OrgInvitesArgs extends withInviteListArgs(OrgRefArgs) {
  @DomainArg()
  losantdomain?: string | null;
}

/** `InstanceOrg.invites`: the organization's ids come from the parent. */
@ArgsType()
export class InstanceOrgInvitesArgs extends withInviteListArgs(class {}) {
  @DomainArg()
  losantdomain?: string | null;
}

/** Relay's paging arguments, shared by every connection of invites. */
export interface ConnectionPageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** `Base`'s arguments followed by Relay's `first`, `after`, `last` and `before`. */
function withConnectionPageArgs<TBase extends ClassType>(Base: TBase) {
  @ArgsType()
  class WithConnectionPageArgs extends Base implements ConnectionPageArgs {
    @Field(() => Int, {
      nullable: true,
      description: 'Page forwards: at most this many invites after `after` (0 to `MAX_PAGE_SIZE`). One of `first` and `last` is required.',
    })
    first?: number | null;

    @Field(() => String, { nullable: true, description: 'Cursor to page forwards from (an `endCursor` or edge cursor of this same list).' })
    after?: string | null;

    @Field(() => Int, {
      nullable: true,
      description:
        'Page backwards: at most this many invites before `before` (0 to `MAX_PAGE_SIZE`). One of `first` and `last` is required.',
    })
    last?: number | null;

    @Field(() => String, {
      nullable: true,
      description: 'Cursor to page backwards from (a `startCursor` or edge cursor of this same list).',
    })
    before?: string | null;
  }
  return WithConnectionPageArgs;
}

/** `Query.orgInvitesConnection`. */
@ArgsType()
export class OrgInvitesConnectionArgs extends withConnectionPageArgs(withInviteListArgs(OrgRefArgs)) {
  @DomainArg()
  losantdomain?: string | null;
}

/** `InstanceOrg.invitesConnection`: the organization's ids come from the parent. */
@ArgsType()
export class InstanceOrgInvitesConnectionArgs extends withConnectionPageArgs(withInviteListArgs(class {})) {
  @DomainArg()
  losantdomain?: string | null;
}
