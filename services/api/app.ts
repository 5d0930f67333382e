import type { RequestListener } from 'node:http';
import express from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../platform/logger.js';
import { adminCampaignRoutes, campaignStatusRoutes, type StatusSource } from './campaigns/routes.js';
import type { CampaignService } from './campaigns/service.js';
import { consoleRoutes } from './console/routes.js';
import { healthRoutes, type Lifecycle, type ReadinessProbe } from './health/routes.js';
import { sendOk } from './http/envelope.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { httpMetrics } from './http/http-metrics.js';
import { adminAuth, onlyMethods, requireJson } from './http/middleware.js';
import { createRateLimiter, rateLimit, type RateLimitOptions } from './http/rate-limit.js';
import { leanIngestRoute } from './participation/lean-route.js';
import { openApiDocument } from './openapi.js';
import { adminToolRoutes, type PartitionSource } from './admin-tools/routes.js';
import { aggregationRunRoutes, type AggregationRunDeps } from './aggregation-runs/routes.js';
import { statsRoutes, type StatsDeps } from './stats/routes.js';
import { deadLetterRoutes } from './dead-letters/routes.js';
import type { DeadLetterStore } from '../db/dead-letter-store.js';
import type { IngestService } from './participation/ingest-service.js';
import { ingestOutcomes } from './participation/ingest-metrics.js';
import { INGEST_ROUTE, PARTICIPATION_MOUNT, participationRoutes } from './participation/routes.js';
import type { ParticipationService } from './participation/service.js';

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  campaigns: CampaignService;
  participations: ParticipationService;
  ingest: IngestService;
  deadLetters: DeadLetterStore;
  topic: string;
  partitions: PartitionSource;
  stats: StatsDeps;
  aggregationRuns: AggregationRunDeps;
  status: StatusSource;
  probes: readonly ReadinessProbe[];
  lifecycle: Lifecycle;
  adminToken: string | undefined;
  bodyLimitBytes: number;
  /** Largest count of one participate-bulk call. */
  bulkMaxCount: number;
  /** Per-client limits on the participation paths; undefined turns them off. */
  rateLimit: RateLimitOptions | undefined;
  /** Proxy hops whose X-Forwarded-For is believed for the client address. */
  trustProxy: number;
  benchNoopRoute?: boolean;
  /** Serve POST /participation without express (LEAN_INGEST_ROUTE); express takes it otherwise. */
  leanIngestRoute: boolean;
  clock?: () => Date;
}

/** The API's HTTP handler: the lean participation route first (when on), express for everything it does not take. */
export function createApp(deps: AppDeps): RequestListener {
  const clock = deps.clock ?? (() => new Date());
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  const ingestCounter = ingestOutcomes(deps.registry, INGEST_ROUTE);
  const metrics = httpMetrics(deps.registry, [ingestCounter.onClose]);
  app.use(metrics.middleware);
  app.use(INGEST_ROUTE, ingestCounter.scope);
  app.use(onlyMethods(['GET', 'HEAD', 'POST']));
  // While draining, finish the current request but tell keep-alive clients to reconnect elsewhere.
  app.use((_req, res, next) => {
    if (deps.lifecycle.draining) res.setHeader('Connection', 'close');
    next();
  });
  app.use(healthRoutes(deps.probes, deps.lifecycle, deps.registry));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/console', consoleRoutes());

  app.use('/api', requireJson, express.json({ limit: deps.bodyLimitBytes, strict: true }));
  if (deps.benchNoopRoute) {
    // Same middleware and envelope as a participation, minus the work: what express alone costs.
    app.post('/api/bench/noop', (req, res) => {
      sendOk(res, 202, 'noop', { received: req.body !== undefined });
    });
  }
  const admin = express.Router();
  admin.use(adminAuth(deps.adminToken));
  admin.use('/campaigns', adminCampaignRoutes(deps.campaigns, clock));
  admin.use('/dlq', deadLetterRoutes({ store: deps.deadLetters, ingest: deps.ingest, clock }));
  admin.use('/stats', statsRoutes(deps.stats));
  admin.use('/batch', aggregationRunRoutes(deps.aggregationRuns));
  admin.use(adminToolRoutes(deps.ingest, deps.topic, deps.partitions, deps.bulkMaxCount));
  app.use('/api/admin', admin);
  app.use('/api/campaigns', campaignStatusRoutes(deps.campaigns, deps.status));
  const limiter = deps.rateLimit ? createRateLimiter(deps.rateLimit) : undefined;
  app.use(PARTICIPATION_MOUNT, participationRoutes(deps.participations, deps.ingest, limiter ? [rateLimit(limiter)] : []));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  if (!deps.leanIngestRoute) return app;
  const lean = leanIngestRoute({
    ingest: deps.ingest,
    limiter,
    bodyLimitBytes: deps.bodyLimitBytes,
    trustProxy: deps.trustProxy,
    lifecycle: deps.lifecycle,
    metrics,
    outcomes: ingestCounter,
    logger: deps.logger,
  });
  return (req, res) => {
    if (!lean(req, res)) app(req, res);
  };
}
