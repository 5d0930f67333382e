# syntax=docker/dockerfile:1
# One image for every deployable; the first argument picks it:
#   docker run IMAGE api | consumer | operator | aggregator --date 2026-11-20 | migrate
# Without Docker, scripts/image/build.sh assembles the same layout (see README).
ARG NODE_IMAGE=node:24-bookworm-slim

# Compile TypeScript to dist/ with the full dependency tree.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
RUN npx tsc -p tsconfig.build.json
# The operator console: static files the api serves at /console.
COPY scripts/build-console.ts ./scripts/
RUN node --import tsx scripts/build-console.ts

# Production dependencies only. tsx is listed among them for the developer scripts; the image
# runs compiled JavaScript, so it is pruned here (with whatever only it needed).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm uninstall --omit=dev --no-audit --no-fund --loglevel=error tsx

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/services ./dist/services
COPY --from=build /src/dist/console ./dist/console
COPY package.json ./
COPY image/entrypoint.sh /usr/local/bin/fcfs-campaign
# Numeric, so that runAsNonRoot can verify it without a passwd lookup. Nothing is written to the
# root file system: it may be mounted read-only.
USER 10001:10001
EXPOSE 8080 9464
ENTRYPOINT ["/usr/local/bin/fcfs-campaign"]
CMD ["api"]
