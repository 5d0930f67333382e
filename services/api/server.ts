import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import { Histogram } from 'prom-client';
import { AggregationJob, type AggregationOutcome } from '../aggregator/aggregation-job.js';
import { AcceptStore } from '../db/accept-store.js';
import { BatchStore } from '../db/batch-store.js';
import { OrderStore } from '../db/order-store.js';
import { StatsStore } from '../db/stats-store.js';
import { CampaignStore } from '../db/campaign-store.js';
import { DeadLetterStore } from '../db/dead-letter-store.js';
import { defineModels } from '../db/models.js';
import { ParticipationStore } from '../db/participation-store.js';
import { createSequelize } from '../db/sequelize.js';
import { BatchingProducer } from '../kafka/batching-producer.js';
import { createKafka } from '../kafka/client.js';
import { LogProgress } from '../kafka/log-progress.js';
import { prepareTopics } from '../kafka/topics.js';
import { consumerGroupOf, dlqTopicOf } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createRegistry, METRIC_PREFIX } from '../platform/metrics.js';
import { createApp } from './app.js';
import { CampaignService } from './campaigns/service.js';
import type { ApiConfig } from './config.js';
import { AcceptCounter } from './participation/accept-counter.js';
import { CampaignCache } from './participation/campaign-cache.js';
import { IngestService } from './participation/ingest-service.js';
import { ParticipationService } from './participation/service.js';
import { SoldOutAnswers } from './participation/sold-out-answers.js';

export interface RunningApi {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, then closes producer and pools. */
  close(): Promise<void>;
}

const TOPIC_RETRY_MS = 2_000;

export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const registry = createRegistry('api');
  const sequelize = createSequelize(config);
  const models = defineModels(sequelize);
  const kafka = createKafka(config, logger);
  const campaignStore = new CampaignStore(models);
  const participationStore = new ParticipationStore(sequelize);
  const campaigns = new CampaignService(campaignStore);

  // One admin connection, opened on first use and reused (kafkajs reconnects it after outages).
  let admin: Promise<Admin> | undefined;
  const getAdmin = () =>
    (admin ??= (async () => {
      const a = kafka.admin();
      try {
        await a.connect();
        return a;
      } catch (err) {
        admin = undefined;
        throw err;
      }
    })());

  // The API must come up even while the broker is down (sync path, reads); topics follow later.
  let partitions = 1;
  let topicsReady = false;
  let topicTimer: NodeJS.Timeout | undefined;
  const prepare = async () => {
    try {
      partitions = await prepareTopics(await getAdmin(), { topic: config.KAFKA_TOPIC, dlqTopic: dlqTopicOf(config), partitions: config.KAFKA_TOPIC_PARTITIONS });
      topicsReady = true;
    } catch (err) {
      logger.warn({ err }, 'broker not reachable yet; ingest answers 503 until it is');
      topicTimer = setTimeout(() => void prepare(), TOPIC_RETRY_MS);
    }
  };
  await prepare();

  const produceBatch = new Histogram({
    name: `${METRIC_PREFIX}api_produce_batch_size`,
    help: 'Participations carried by one produce request',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  const producer = new BatchingProducer(kafka, {
    topic: config.KAFKA_TOPIC,
    maxBatch: config.PRODUCE_MAX_BATCH,
    maxBatchBytes: config.PRODUCE_MAX_BATCH_BYTES,
    sendTimeoutMs: config.PRODUCE_TIMEOUT_MS,
    cooldownMs: 250,
    onBatch: (size) => produceBatch.observe(size),
    onFailure: (err, size) => logger.warn({ err: err.message, size }, 'produce failed; answering 503'),
  });
  const acceptStore = new AcceptStore(sequelize);
  const accepts = new AcceptCounter(acceptStore, config.ACCEPT_FLUSH_INTERVAL_MS, logger);
  const cache = new CampaignCache((id) => campaignStore.findById(id), config.CAMPAIGN_CACHE_TTL_MS);
  const soldOut = new SoldOutAnswers({ winnersOf: (id) => participationStore.winnersOf(id), record: (answers) => participationStore.recordShortCircuit(answers) });
  const ingest = new IngestService({ campaigns: cache, decided: participationStore, producer, accepts, soldOut, partitions: () => partitions, partitionKey: config.PARTITION_KEY });
  const logProgress = new LogProgress(getAdmin, participationStore, config.KAFKA_TOPIC, consumerGroupOf(config));
  const deadLetters = new DeadLetterStore(sequelize);
  const participations = new ParticipationService({ campaigns, store: participationStore, refusals: deadLetters, log: logProgress, clock: () => new Date() });
  const lifecycle = { draining: false };
  const clock = () => new Date();
  const statsStore = new StatsStore(sequelize);
  const executions = new BatchStore(sequelize);
  const aggregations = new Set<Promise<AggregationOutcome>>();
  const job = new AggregationJob(
    { stats: statsStore, executions, logger },
    { timeZone: config.STATS_TIME_ZONE, retentionDays: config.BATCH_RETENTION_DAYS, staleAfterMs: config.BATCH_STALE_AFTER_MS },
  );

  const app = createApp({
    logger,
    registry,
    campaigns,
    participations,
    ingest,
    deadLetters,
    topic: config.KAFKA_TOPIC,
    partitions: () => partitions,
    status: { pending: (id) => acceptStore.pending(id) },
    stats: { stats: statsStore, orders: new OrderStore(sequelize), campaigns, timeZone: config.STATS_TIME_ZONE, clock },
    batch: { job, executions, timeZone: config.STATS_TIME_ZONE, clock, logger, running: aggregations },
    probes: [
      { name: 'database', check: async () => { await sequelize.query('SELECT 1'); } },
      {
        name: 'broker',
        check: async () => {
          await (await getAdmin()).describeCluster();
          if (!topicsReady) throw new Error(`topic ${config.KAFKA_TOPIC} not prepared yet`);
        },
      },
    ],
    lifecycle,
    adminToken: config.ADMIN_TOKEN,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    benchNoopRoute: config.BENCH_NOOP_ROUTE,
  });

  const server = createServer(app);
  // Longer than typical load balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      lifecycle.draining = true;
      clearTimeout(topicTimer);
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      try {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } finally {
        clearInterval(idleSweep);
      }
      await producer.close();
      await accepts.close();
      // an aggregation started here finishes (and records its outcome) before the pool closes
      await Promise.allSettled(aggregations);
      await (await admin?.catch(() => undefined))?.disconnect();
      await sequelize.close();
    })();
    return closing;
  };
  return { server, url: `http://127.0.0.1:${port}`, close };
}
