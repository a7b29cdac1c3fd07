import { HeaderMap } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config';
import { buildGatewaySchema } from '../graphql/buildGatewaySchema';
import { InviteLoader } from '../loaders/InviteLoader';
import { createPlayground } from '../playground/playground';
import { HttpInvitesApi } from '../rest/httpInvitesApi';
import type { InvitesApi } from '../rest/invitesApi';
import { createApolloServer } from './apolloServer';
import type { GatewayContext } from './context';
import { GatewayHttpServer } from './httpServer';

export interface RunningGateway {
  /** Base URL, e.g. `http://localhost:4000`; GraphQL is at `${url}/graphql`. */
  readonly url: string;
  readonly close: () => Promise<void>;
}

export interface GatewayDependencies {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** Base URL of the upstream to talk to (the configured one, or the embedded simulator's). */
  readonly upstreamUrl: string;
  /** Token the playground prefills; pass it only when `upstreamUrl` is the embedded simulator. */
  readonly demoToken?: string;
}

/** Wires config → REST client → loaders → schema → Apollo → HTTP and starts listening. */
export async function startGateway({ config, logger, upstreamUrl, demoToken }: GatewayDependencies): Promise<RunningGateway> {
  const api = new HttpInvitesApi({
    baseUrl: upstreamUrl,
    timeoutMs: config.upstreamTimeoutMs,
    onCall: (call) => logger.debug({ upstream: call }, 'upstream call'),
  });
  const apollo = createApolloServer({ schema: await buildGatewaySchema(), logger, introspection: config.introspection });
  await apollo.start();

  const http = new GatewayHttpServer({
    apollo,
    logger,
    playground: config.playground ? createPlayground({ demoToken }) : undefined,
    createContext: (headers, requestId) => createContext(headers, requestId, api, logger, config.upstreamConcurrencyPerRequest),
  });
  const url = await http.listen(config.port, config.host);
  return {
    url,
    close: async () => {
      await http.close();
      await apollo.stop();
      api.close();
    },
  };
}

function createContext(headers: HeaderMap, requestId: string, api: InvitesApi, logger: Logger, maxConcurrentCalls: number): GatewayContext {
  return {
    requestId,
    authorization: headers.get('authorization'),
    losantdomain: headers.get('losantdomain'),
    invites: new InviteLoader(api, maxConcurrentCalls),
    logger: logger.child({ requestId }),
  };
}
