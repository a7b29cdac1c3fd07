import { BadUserInputError } from '../../../src/errors/gatewayErrors';
import type { InviteListArgs } from '../../../src/graphql/args/listArgs';
import { InviteFilterField, InviteSortField, SortDirection } from '../../../src/graphql/enums';
import { listQueryOf } from '../../../src/graphql/restMapping/listQuery';

describe('listQueryOf', () => {
  function args(overrides: Partial<InviteListArgs> = {}): InviteListArgs {
    return { sortField: InviteSortField.INVITE_DATE, sortDirection: SortDirection.DESC, ...overrides };
  }

  test('translates the defaults without filter parameters', () => {
    expect(listQueryOf(args())).toStrictEqual({ sortField: 'inviteDate', sortDirection: 'desc' });
    expect(listQueryOf(args({ filterField: null, filter: null }))).toStrictEqual({ sortField: 'inviteDate', sortDirection: 'desc' });
  });

  test('passes sort and filter values through as the REST values', () => {
    expect(
      listQueryOf(
        args({ sortField: InviteSortField.EMAIL, sortDirection: SortDirection.ASC, filterField: InviteFilterField.ROLE, filter: 'ad*' }),
      ),
    ).toStrictEqual({ sortField: 'email', sortDirection: 'asc', filterField: 'role', filter: 'ad*' });
  });

  test('a filterField alone is sent without a filter', () => {
    expect(listQueryOf(args({ filterField: InviteFilterField.EMAIL }))).toStrictEqual({
      sortField: 'inviteDate',
      sortDirection: 'desc',
      filterField: 'email',
    });
  });

  test('a filter without filterField is refused before any call', () => {
    expect(() => listQueryOf(args({ filter: '*@example.com' }))).toThrow(BadUserInputError);
  });

  test('an over-long filter is refused', () => {
    expect(() => listQueryOf(args({ filterField: InviteFilterField.EMAIL, filter: 'a'.repeat(1025) }))).toThrow(BadUserInputError);
  });
});
