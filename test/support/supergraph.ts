import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** One subgraph as a router composes it: its name, its SDL and where the router reaches it. */
export interface SubgraphSource {
  readonly name: string;
  readonly sdl: string;
  readonly url: string;
}

/**
 * Composes subgraphs with Apollo's composition (what rover and GraphOS run), answering the result
 * as it comes: a test of the composition itself reads its errors and hints.
 */
export function composeSubgraphs(subgraphs: readonly SubgraphSource[]): ReturnType<typeof composeServices> {
  return composeServices(subgraphs.map(({ name, sdl, url }) => ({ name, typeDefs: parse(sdl), url })));
}

/** The supergraph SDL of `subgraphs`, or an error naming what did not compose. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const composed = composeSubgraphs(subgraphs);
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${(composed.errors ?? []).map((error) => error.message).join('; ')}`);
  return composed.supergraphSdl;
}

/**
 * The SDL a running subgraph serves at `_service { sdl }`, asked as a router asks it: with
 * `routerHeaders` (the gateway serves `_service` to the router alone, see ROUTER_SECRET).
 */
export async function fetchSubgraphSdl(graphqlUrl: string, routerHeaders: Readonly<Record<string, string>>): Promise<string> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...routerHeaders },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: unknown[] };
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== 'string')
    throw new Error(`no subgraph SDL from ${graphqlUrl} (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return sdl;
}
