# BestClips: the shop (port 8080) and its local AMP cache (port 8081) in one small image.
#   docker build -t bestclips .
#   docker run --rm -p 8080:8080 -p 8081:8081 -e SESSION_SECRET="$(openssl rand -hex 32)" bestclips

# --- build: all dependencies, compile TypeScript, then drop the dev dependencies ---------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies, compiled code and the shop's files, as a non-root user ---
FROM node:20-slim
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
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/index.js"]
