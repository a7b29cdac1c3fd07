import { HeaderMap } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config';
import { buildGatewaySchema } from '../graphql/buildGatewaySchema';
import { InviteLoader, InviteLoaderOptions } from '../loaders/InviteLoader';
import { createPlayground } from '../playground/playground';
import { HttpInvitesApi } from '../rest/httpInvitesApi';
import { ResilientInvitesApi } from '../rest/resilience/ResilientInvitesApi';
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
  const transport = new HttpInvitesApi({
    baseUrl: upstreamUrl,
    timeoutMs: config.upstreamTimeoutMs,
    onCall: (call) => logger.debug({ upstream: call }, 'upstream call'),
  });
  const api = new ResilientInvitesApi(transport, {
    retry: { maxAttempts: config.upstreamMaxAttempts, baseDelayMs: config.upstreamRetryBaseDelayMs, maxDelayMs: config.upstreamRetryMaxDelayMs },
    breakerThreshold: config.breakerThreshold,
    breakerCooldownMs: config.breakerCooldownMs,
    maxConcurrentCalls: config.upstreamMaxConcurrency,
    maxQueuedCalls: config.upstreamMaxQueue,
    onRetry: (retry) => logger.info({ retry }, 'retrying upstream read'),
    onBreakerStateChange: (state) => logger.warn({ breaker: state }, 'upstream circuit breaker changed state'),
  });
  const apollo = createApolloServer({ schema: await buildGatewaySchema(), logger, introspection: config.introspection, limits: config.limits });
  await apollo.start();

  const http = new GatewayHttpServer({
    apollo,
    logger,
    playground: config.playground ? createPlayground({ demoToken }) : undefined,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxBatchSize: config.limits.maxBatchSize,
    createContext: (headers, requestId) =>
      createContext(headers, requestId, api, logger, {
        maxConcurrentCalls: config.upstreamConcurrencyPerRequest,
        deadline: Date.now() + config.operationTimeoutMs,
      }),
  });
  const url = await http.listen(config.port, config.host);
  return {
    url,
    close: async () => {
      await http.close();
      await apollo.stop();
      transport.close();
    },
  };
}

function createContext(headers: HeaderMap, requestId: string, api: InvitesApi, logger: Logger, loaderOptions: InviteLoaderOptions): GatewayContext {
  return {
    requestId,
    authorization: headers.get('authorization'),
    losantdomain: headers.get('losantdomain'),
    invites: new InviteLoader(api, loaderOptions),
    logger: logger.child({ requestId }),
  };
}
