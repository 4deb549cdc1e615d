# syntax=docker/dockerfile:1
# The Skillproof GitHub App (Probot). Build: docker build -t skillproof-app .
# Run:   docker run --env-file .env -p 3000:3000 skillproof-app
#        or with Redis (durable queue, replicas): docker compose up (docker-compose.yml)

# --- build: compile TypeScript and bundle the rules ---------------------------
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY rules ./rules
COPY schemas ./schemas
COPY data ./data
RUN npm run build

# --- runtime: production dependencies and the build output only --------------
FROM node:20-alpine
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SKILLPROOF_DATA_DIR=/var/lib/skillproof
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, which is a dev dependency and not needed here.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY rules ./rules
COPY roles ./roles
COPY schemas ./schemas
COPY data ./data
COPY bin ./bin
COPY app.yml ./
# Without Redis, the report pages' audits are files here: mount a volume to keep them across restarts.
RUN mkdir -p /var/lib/skillproof && chown node:node /var/lib/skillproof
VOLUME /var/lib/skillproof
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node directly (not npm start) so SIGTERM reaches the app, which then stops taking webhooks and lets
# running audits finish within SKILLPROOF_SHUTDOWN_GRACE_MS (keep it below the orchestrator's stop timeout).
STOPSIGNAL SIGTERM
CMD ["node", "dist/app/server.js"]
