import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { routerRoleOf } from '../../src/server/routerAccess';

const SECRET = 'k3Yp2VqN8wXz4RtL6mBc9DfGh1JsA5Ue7';
const HEADER = 'router-authorization';

function request(body: unknown, headers: Record<string, string> = {}, method = 'POST', search = ''): HTTPGraphQLRequest {
  return { method, headers: new HeaderMap(Object.entries(headers)), search, body };
}

describe('with a secret', () => {
  const roleOf = routerRoleOf({ secret: SECRET, header: HEADER, openWithoutSecret: false })!;

  test('the exact secret in the configured header makes the router; anything else a client', () => {
    expect(roleOf(request({ query: '{ _service { sdl } }' }, { [HEADER]: SECRET }))).toBe('verified');
    expect(roleOf(request({ query: '{ _service { sdl } }' }))).toBe('client');
    expect(roleOf(request({ query: '{ _service { sdl } }' }, { [HEADER]: SECRET.slice(1) }))).toBe('client');
    expect(roleOf(request({ query: '{ _service { sdl } }' }, { [HEADER]: `${SECRET} ` }))).toBe('client');
    expect(roleOf(request({ query: '{ _service { sdl } }' }, { 'x-router-secret': SECRET }))).toBe('client');
  });

  test('asking for federation without it is still a client', () => {
    expect(roleOf(request({ query: '{ __typename }' }, { 'apollo-federation-include-trace': 'ftv1' }))).toBe('client');
  });
});

describe('without a secret outside production (the demo)', () => {
  const roleOf = routerRoleOf({ secret: undefined, header: HEADER, openWithoutSecret: true })!;

  test.each<[string, HTTPGraphQLRequest]>([
    ['an ftv1 trace', request({ query: '{ __typename }' }, { 'apollo-federation-include-trace': 'ftv1' })],
    ['`_service` in the body', request({ query: '{ _service { sdl } }' })],
    [
      '`_entities` in one element of a batch',
      request([{ query: '{ __typename }' }, { query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }' }]),
    ],
    ['`_service` in a GET', request(undefined, {}, 'GET', '?query=%7B%20_service%20%7B%20sdl%20%7D%20%7D')],
  ])("a request asking for %s is served as the router's, unverified", (_name, asked) => {
    expect(roleOf(asked)).toBe('demo');
  });

  test('anything else is a client: a name merely containing a federation field too', () => {
    expect(roleOf(request({ query: '{ __typename }' }))).toBe('client');
    expect(roleOf(request({ query: '{ a_service: __typename }' }))).toBe('client');
    expect(roleOf(request('not json'))).toBe('client');
  });
});

test('without a secret in production, nobody is the router: there is no role to tell', () => {
  expect(routerRoleOf({ secret: undefined, header: HEADER, openWithoutSecret: false })).toBeUndefined();
});
