import { DEMO_INSTANCE_ID, DEMO_ORG_ID, DEMO_SECOND_ORG_ID, DEMO_TOKENS } from './demoData';

/**
 * What a newcomer sees after `npm start` without configuration: where things are, the demo ids
 * and tokens, and one request to paste. These tokens only open the embedded simulator.
 */
export function demoBanner(graphqlUrl: string, simulatorUrl: string, playground: boolean): string {
  const query = `{ orgInvites(instanceId: \\"${DEMO_INSTANCE_ID}\\", orgId: \\"${DEMO_ORG_ID}\\") { count items { email role inviteDate } } }`;
  return [
    '',
    'invites-gateway is running against the embedded Losant API simulator (set LOSANT_API_URL to use the real API).',
    '',
    `  GraphQL endpoint   ${graphqlUrl}`,
    ...(playground
      ? [`  Playground         ${graphqlUrl.replace(/\/graphql$/, '/')} (open it in a browser; the demo token is filled in)`]
      : []),
    `  Simulator          ${simulatorUrl}`,
    `  Demo instance id   ${DEMO_INSTANCE_ID}`,
    `  Demo org ids       ${DEMO_ORG_ID} (7 invites), ${DEMO_SECOND_ORG_ID} (3 invites)`,
    `  Demo tokens        ${DEMO_TOKENS.admin} (list and invite)`,
    `                     ${DEMO_TOKENS.readOnly} (list only)`,
    `                     ${DEMO_TOKENS.noInvites} (no invite scopes)`,
    '',
    'Try it:',
    '',
    `  curl -s ${graphqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${DEMO_TOKENS.admin}' \\`,
    `    -d '{"query":"${query}"}'`,
    '',
    '',
  ].join('\n');
}
