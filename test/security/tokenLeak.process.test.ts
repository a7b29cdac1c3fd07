import { DEMO_INSTANCE_ID, DEMO_ORG_ID } from '../../src/simulator/demoData';
import { codesOf, post, ProductionGateway, startProductionGateway } from '../support/attack';

/*
 * Attack: an upstream that echoes the caller's token in the `type` and `message` of its error
 * body, raw, after "Bearer ", JSON-escaped and percent-encoded. The token holds the characters
 * that used to end the bearer pattern early (quotes, commas, semicolons, brackets, spaces), regex
 * metacharacters, or is very short. Whatever the upstream status, the client's response must not
 * contain the token in any of those forms.
 */

const LIST = `query($instanceId: ID!, $orgId: ID!) { orgInvites(instanceId: $instanceId, orgId: $orgId) { count } }`;

const TOKENS: ReadonlyArray<[string, string]> = [
  ['a double quote', 'leak"quote-7f3a9c'],
  ['a single quote, comma, semicolon and parenthesis', "leak'comma,semi;paren)-8d2e"],
  ['a square bracket and spaces', 'leak]bracket with spaces-4b1f'],
  ['regex metacharacters', 'leak.*+?^${}()|[]\\-9c0d'],
  ['a percent sign and a slash', 'leak%2F/plus+-3e7a'],
  ['only three characters', 'q7z'],
];

const STATUSES: ReadonlyArray<[number, string]> = [
  [400, 'BAD_USER_INPUT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'FORBIDDEN'],
  [500, 'UPSTREAM_ERROR'],
];

/** Every form in which the token could show in a JSON response: raw, JSON-escaped, percent-encoded. */
function formsOf(token: string): string[] {
  return [...new Set([token, JSON.stringify(token).slice(1, -1), encodeURIComponent(token)])];
}

/** The upstream's error body, echoing the token in each form. */
function echoingBody(token: string): { type: string; message: string } {
  return {
    type: `InvalidToken ${token}`,
    message:
      `Token ${token} is not valid (Authorization: Bearer ${token}); ` +
      `request {"authorization":${JSON.stringify(`Bearer ${token}`)}} ?access_token=${encodeURIComponent(token)} end`,
  };
}

let gateway: ProductionGateway;
beforeAll(async () => {
  // One try per read: each request meets exactly one injected answer. No breaker in the way. The
  // simulator keeps the test's tokens as sent, to show the upstream really received them.
  gateway = await startProductionGateway({ UPSTREAM_MAX_ATTEMPTS: '1', BREAKER_THRESHOLD: '1000' }, { recordUnknownCredentials: true });
}, 30_000);
afterAll(() => gateway?.close());

describe.each(TOKENS)('a token with %s', (_name, token) => {
  test.each(STATUSES)('HTTP %i echoing it in type and message: %s, and the response holds the token in no form', async (status, code) => {
    gateway.simulator.faults.inject({ kind: 'status', status, body: echoingBody(token) });
    const response = await post(
      gateway.graphqlUrl,
      { query: LIST, variables: { instanceId: DEMO_INSTANCE_ID, orgId: DEMO_ORG_ID } },
      { authorization: `Bearer ${token}` },
    );
    // The token did reach the upstream, which echoed it.
    expect(gateway.simulator.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    expect(codesOf(response.json)).toEqual([code]);
    for (const form of formsOf(token)) expect(response.text).not.toContain(form);
    // The upstream's words around the token still reach the client, unless the token is too
    // short to cut out of them: then they are withheld whole.
    if (token.length >= 4) expect(response.text).toContain('is not valid');
    else expect(response.json).toMatchObject({ errors: [{ extensions: { upstreamStatus: status } }] });
  });
});
