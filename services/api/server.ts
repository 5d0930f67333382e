import type { Server } from 'node:http';
import { LogProgress } from '../kafka/log-progress.js';
import { registerPoolMetrics } from '../db/pool-metrics.js';
import { consumerGroupOf } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createRegistry } from '../platform/metrics.js';
import { createApp } from './app.js';
import { CampaignService } from './campaigns/service.js';
import type { ApiConfig } from './config.js';
import { ParticipationService } from './participation/service.js';
import { createAggregation } from './wiring/aggregation.js';
import { connectBroker } from './wiring/broker.js';
import { createKubernetes } from './wiring/kubernetes.js';
import { listen } from './wiring/http-server.js';
import { createIngest } from './wiring/ingest.js';
import { createStorage } from './wiring/storage.js';

export interface RunningApi {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes producer and pools. */
  close(): Promise<void>;
}

/** The API's composition root: the pieces come from ./wiring/, this only joins them and orders the stop. */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const clock = () => new Date();
  const registry = createRegistry('api');
  const storage = createStorage(config);
  registerPoolMetrics(registry, storage.sequelize);
  const lifecycle = { draining: false };
  const broker = await connectBroker(config, logger);
  const { ingest, producer, accepts } = createIngest({ config, storage, broker, registry, logger, clock });
  const kubernetes = createKubernetes({ config, storage, brokerPartitions: broker.partitions, logger, clock });
  const aggregation = createAggregation({ config, storage, logger, clock, launcher: kubernetes.launcher });
  const campaigns = new CampaignService({ store: storage.campaigns, clock });
  const log = new LogProgress({ admin: broker.admin, offsets: storage.participations, topic: config.KAFKA_TOPIC, group: consumerGroupOf(config) });
  const participations = new ParticipationService({ campaigns, store: storage.participations, refusals: storage.deadLetters, log, clock });

  const app = createApp({
    logger,
    registry,
    campaigns,
    participations,
    ingest,
    deadLetters: storage.deadLetters,
    topic: config.KAFKA_TOPIC,
    partitions: kubernetes.partitions,
    status: { pending: (id) => storage.accepts.pending(id) },
    stats: { stats: storage.stats, orders: storage.orders, campaigns, timeZone: config.STATS_TIME_ZONE, clock },
    aggregationRuns: aggregation.routes,
    probes: [
      { name: 'database', check: async () => { await storage.sequelize.query('SELECT 1'); } },
      { name: 'broker', check: broker.check },
    ],
    lifecycle,
    adminToken: config.ADMIN_AUTH === 'token' ? config.ADMIN_TOKEN : undefined,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    benchNoopRoute: config.BENCH_NOOP_ROUTE,
    leanIngestRoute: config.LEAN_INGEST_ROUTE,
    bulkMaxCount: config.BULK_MAX_COUNT,
    trustProxy: config.TRUST_PROXY,
    rateLimit: config.RATE_LIMIT_ENABLED
      ? {
          userPerSec: config.RATE_LIMIT_USER_PER_SEC,
          userBurst: config.RATE_LIMIT_USER_BURST,
          addressPerSec: config.RATE_LIMIT_ADDRESS_PER_SEC,
          addressBurst: config.RATE_LIMIT_ADDRESS_BURST,
          maxKeys: config.RATE_LIMIT_MAX_KEYS,
        }
      : undefined,
    clock,
  });
  const http = await listen(app, config);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      lifecycle.draining = true;
      broker.stopPreparing();
      await http.drain();
      await producer.close();
      await accepts.close();
      // an aggregation started here finishes (and records its outcome) before the pool closes
      await aggregation.settled();
      await broker.close();
      await storage.sequelize.close();
    })();
    return closing;
  };
  return { server: http.server, url: http.url, close };
}
