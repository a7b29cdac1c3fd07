import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentNode, parse, visit } from 'graphql';

/** The committed subgraph SDL (`schema/subgraph.graphql`), as a router composes it. */
export const SUBGRAPH_SDL = readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8');

/**
 * The committed SDL as `@apollo/gateway` can serve it: without `@requiresScopes`. It enforces no
 * authorization directive, so it refuses a supergraph that links one `for: SECURITY` rather than
 * serve it unprotected (`test/federation/supergraph.test.ts` shows it); behind it the REST API's
 * own scope check answers `FORBIDDEN`.
 */
export function subgraphSdlForApolloGateway(): DocumentNode {
  return visit(parse(SUBGRAPH_SDL), { Directive: (node) => (node.name.value === 'requiresScopes' ? null : undefined) });
}
