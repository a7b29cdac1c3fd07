import { requestTarget } from '../../src/http/requestTarget';

/** What the WHATWG URL parser makes of a target: the reference the fast path must agree with. */
function parsed(target: string): { pathname: string; search: string } {
  const url = new URL(target, 'http://gateway');
  return { pathname: url.pathname, search: url.search };
}

describe('requestTarget', () => {
  test.each([
    '/graphql',
    '/graphql?query=%7B__typename%7D&operationName=x',
    '/graphql?',
    '/',
    '/healthz',
    '/assets/graphiql.min.js',
    '/graphql/',
    '/a/../graphql',
    '/./graphql',
    '//evil.example/graphql',
    '/gr%61phql',
    '/graphql?q=1#fragment',
    '/graphql\\x',
    'http://other.example/graphql?x=1',
    '/.hidden',
    "/graphql?q='a'",
  ])('agrees with the URL parser on %s', (target) => {
    expect(requestTarget(target)).toEqual(parsed(target));
  });

  test('a missing target reads as /', () => {
    expect(requestTarget(undefined)).toEqual({ pathname: '/', search: '' });
  });
});
