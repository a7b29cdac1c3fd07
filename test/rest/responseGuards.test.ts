import { isOrgInviteCollection } from '../../src/rest/responseGuards';

describe('isOrgInviteCollection', () => {
  test.each([
    ['an empty collection', { items: [] }],
    ['a collection with invites', { items: [{ id: 'a', email: 'a@example.com' }], count: 1 }],
    ['a collection with unknown properties', { items: [{}], _links: {}, _type: 'orgInvites', extra: 1 }],
  ])('accepts %s', (_name, body) => {
    expect(isOrgInviteCollection(body)).toBe(true);
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'items'],
    ['a number', 42],
    ['an array', [{ items: [] }]],
    ['an object without items', { count: 0 }],
    ['items that is not an array', { items: { 0: {} } }],
    ['items containing null', { items: [null] }],
    ['items containing a string', { items: [{}, 'invite'] }],
    ['items containing an array', { items: [[]] }],
    ['an error body', { type: 'NotFound', message: 'Not found' }],
  ])('rejects %s', (_name, body) => {
    expect(isOrgInviteCollection(body)).toBe(false);
  });
});
