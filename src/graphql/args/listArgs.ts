import { ArgsType, Field, ID } from 'type-graphql';
import { InviteFilterField, InviteSortField, SortDirection } from '../enums';

/** The organization an operation acts on. */
@ArgsType()
export class OrgRefArgs {
  @Field(() => ID, { description: 'ID associated with the instance (24 hex characters).' })
  instanceId!: string;

  @Field(() => ID, { description: 'ID associated with the organization (24 hex characters).' })
  orgId!: string;
}

@ArgsType()
export class DomainArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Domain scope of request (rarely needed). Defaults to the `losantdomain` request header.',
  })
  losantdomain?: string | null;
}

/** Sort and filter arguments, shared by every field that lists invites. */
@ArgsType()
export class InviteListArgs {
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
