import { hideUnsentNames, namesSent } from '../../src/limits/hideSchemaInErrors';

describe('hideUnsentNames', () => {
  const sent = namesSent(
    'query($s: InviteSortField!) { orgInvites(sortFeld: EMAL, filter: "ada lovelace") { cont } }',
    { s: 'EMAL', i: { emial: 'x' } },
    1000,
  );

  test.each([
    ['Cannot query field "cont" on type "OrgInviteCollection". Did you mean "count"?', 'Cannot query field "cont" on type "<hidden>".'],
    [
      'Unknown argument "sortFeld" on field "Query.orgInvites". Did you mean "sortField" or "filterField"?',
      'Unknown argument "sortFeld" on field "<hidden>.orgInvites".',
    ],
    [
      'Value "EMAL" does not exist in "InviteSortField" enum. Did you mean the enum value "EMAIL"?',
      'Value "EMAL" does not exist in "InviteSortField" enum.',
    ],
    ['Field "emial" is not defined by type "OrgInviteInput". Did you mean "email"?', 'Field "emial" is not defined by type "<hidden>".'],
    [
      'Field "OrgInviteInput.role" of required type "[OrgRole!]!" was not provided.',
      'Field "<hidden>.<hidden>" of required type "[<hidden>!]!" was not provided.',
    ],
    ['Fragment cannot be spread here. Did you mean to use an inline fragment on "OrgInvite"?', 'Fragment cannot be spread here.'],
    // Names the specification defines tell nothing about this schema.
    [
      'Variable "$v" of type "String" used in position expecting type "ID!".',
      'Variable "$<hidden>" of type "String" used in position expecting type "ID!".',
    ],
    [
      'Directive "@include" argument "if" of type "Boolean!" is required.',
      'Directive "@include" argument "if" of type "Boolean!" is required.',
    ],
    // Words of a string the client sent stay.
    ['Expected value of type "Int", found "ada lovelace".', 'Expected value of type "Int", found "ada lovelace".'],
  ])('%s', (message, expected) => {
    expect(hideUnsentNames(message, sent)).toBe(expected);
  });

  test('an escaped quote in a value cannot shift which parts of the message count as quoted', () => {
    const message = 'Variable "$s" got invalid value "a\\"b"; Field "secretField" of required type "Secret!" was not provided.';
    expect(hideUnsentNames(message, sent)).toBe(
      'Variable "$s" got invalid value "<hidden>\\"<hidden>"; Field "<hidden>" of required type "<hidden>!" was not provided.',
    );
  });
});
