# BestClips: the shop (port 8080) and its local AMP cache (port 8081) in one small image, on
# Node.js 26 (the current LTS).
#   docker build -t bestclips .
#   docker run --rm -p 8080:8080 -p 8081:8081 -e SESSION_SECRET="$(openssl rand -hex 32)" bestclips
# docs/deployment.md: image size, health check, metrics, shutdown and the multi-instance stack.

# --- build: all dependencies, compile TypeScript, then drop the dev dependencies ---------------
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the Debian that node:26-slim is built on, with only its `node` binary -------------
# node:26-slim also carries npm, corepack and the C headers for native add-ons (about 90 MB) that
# a running shop never uses; the one binary on the same Debian, with the one library it needs
# (libatomic1, as node:26-slim installs it), is the same Node.js.
FROM debian:trixie-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends libatomic1 \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY --from=build /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    PORT=8080 \
    CACHE_PORT=8081
WORKDIR /app
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data ./data
COPY views ./views
COPY public ./public
USER node
EXPOSE 8080 8081
# Kept in the Docker image format; the OCI format (podman's default) has no field for it.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop): the shop finishes the requests in flight (up to 10 s) and exits 0.
CMD ["node", "dist/server/index.js"]
