# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, ship production dependencies only.

FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The trusted-documents manifest is compiled into dist/ beside the code that reads it.
COPY schema/trusted-documents.json ./schema/
RUN npm run build && npm prune --omit=dev

FROM node:24.22.3-bookworm-slim
# The commit the image is built from, for the invites_gateway_build_info metric:
# docker build --build-arg BUILD_COMMIT=$(git rev-parse --short HEAD) .
ARG BUILD_COMMIT=unknown
ENV NODE_ENV=production \
    PORT=4000 \
    BUILD_COMMIT=${BUILD_COMMIT}
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node bin/gateway-node.sh ./bin/
USER node
EXPOSE 4000
# For docker and compose (deploy/compose); Kubernetes ignores HEALTHCHECK and uses the probes of
# deploy/kubernetes instead.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
# node runs as PID 1, without --init or tini (Kubernetes has no --init): bin/gateway-node.sh adds
# the gateway's heap options (written there alone, with why) and execs node in its own place. The
# two duties of PID 1 are covered: the kernel gives PID 1 no default action for SIGTERM or SIGINT,
# and the gateway installs its own handlers before anything else loads (src/main.ts); and the
# gateway starts no child process, so there are no orphans to reap (the HEALTHCHECK's node is the
# runtime's child, not PID 1's). test/container/pid1.process.test.ts runs it as PID 1 of a PID namespace.
CMD ["sh", "bin/gateway-node.sh", "dist/src/main.js"]
