import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AggregationJob, type AggregationOutcome } from '../aggregator/aggregation-job.js';
import { AcceptStore } from '../db/accept-store.js';
import { BatchStore } from '../db/batch-store.js';
import { HeavyQueries } from '../db/heavy-query.js';
import { OrderStore } from '../db/order-store.js';
import { StatsStore } from '../db/stats-store.js';
import { CampaignStore } from '../db/campaign-store.js';
import { DeadLetterStore } from '../db/dead-letter-store.js';
import { defineModels } from '../db/models.js';
import { ParticipationStore } from '../db/participation-store.js';
import { registerPoolMetrics } from '../db/pool-metrics.js';
import { createSequelize } from '../db/sequelize.js';
import { BatchingProducer } from '../kafka/batching-producer.js';
import { createKafka } from '../kafka/client.js';
import { LogProgress } from '../kafka/log-progress.js';
import { prepareTopics } from '../kafka/topics.js';
import { consumerGroupOf, dlqTopicOf } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createRegistry, METRIC_PREFIX } from '../platform/metrics.js';
import { createKubeClients } from '../platform/k8s/clients.js';
import { createApp } from './app.js';
import { kafkaTopicPartitions } from './admin-tools/kafka-topic-partitions.js';
import type { PartitionSource } from './admin-tools/routes.js';
import { KubernetesAggregationLauncher } from './batch/kubernetes-launcher.js';
import { CampaignService } from './campaigns/service.js';
import type { ApiConfig } from './config.js';
import { AcceptCounter } from './participation/accept-counter.js';
import { CampaignCache } from './participation/campaign-cache.js';
import { guardConnections } from './http/connections.js';
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
/** While draining, a request still arriving this long after the stop began is cut off. */
const DRAIN_GRACE_MS = 1_000;

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

  const lifecycle = { draining: false };
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
      // a close() that came while this attempt was under way must not be followed by another one
      if (!lifecycle.draining) topicTimer = setTimeout(() => void prepare(), TOPIC_RETRY_MS);
    }
  };
  await prepare();

  const produceBatch = new Histogram({
    name: `${METRIC_PREFIX}api_produce_batch_size`,
    help: 'Participations carried by one produce request',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  const produceDuration = new Histogram({
    name: `${METRIC_PREFIX}api_produce_duration_seconds`,
    help: 'Time from sending a produce request to the broker acknowledging it',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const produceFailures = new Counter({
    name: `${METRIC_PREFIX}api_produce_failures_total`,
    help: 'Produce requests the broker did not acknowledge (their callers were answered 503)',
    registers: [registry],
  });
  const producer = new BatchingProducer(kafka, {
    topic: config.KAFKA_TOPIC,
    maxBatch: config.PRODUCE_MAX_BATCH,
    maxBatchBytes: config.PRODUCE_MAX_BATCH_BYTES,
    sendTimeoutMs: config.PRODUCE_TIMEOUT_MS,
    cooldownMs: 250,
    onBatch: (size, seconds) => {
      produceBatch.observe(size);
      produceDuration.observe(seconds);
    },
    onFailure: (err, size) => {
      produceFailures.inc();
      logger.warn({ err: err.message, size }, 'produce failed; answering 503');
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}api_produce_waiting`,
    help: 'Participations waiting for the broker to acknowledge them',
    registers: [registry],
    collect() {
      this.set(producer.waiting);
    },
  });
  registerPoolMetrics(registry, sequelize);
  const acceptStore = new AcceptStore(sequelize);
  const accepts = new AcceptCounter(acceptStore, config.ACCEPT_FLUSH_INTERVAL_MS, logger);
  const cache = new CampaignCache((id) => campaignStore.findById(id), config.CAMPAIGN_CACHE_TTL_MS);
  const soldOut = new SoldOutAnswers({ winnersOf: (id) => participationStore.winnersOf(id), record: (answers) => participationStore.recordShortCircuit(answers) });
  const ingest = new IngestService({ campaigns: cache, decided: participationStore, producer, accepts, soldOut, partitions: () => partitions });
  const logProgress = new LogProgress(getAdmin, participationStore, config.KAFKA_TOPIC, consumerGroupOf(config));
  const deadLetters = new DeadLetterStore(sequelize);
  const participations = new ParticipationService({ campaigns, store: participationStore, refusals: deadLetters, log: logProgress, clock: () => new Date() });
  const clock = () => new Date();
  const heavy = new HeavyQueries(sequelize, config.HEAVY_QUERY_TIMEOUT_MS);
  const statsStore = new StatsStore(sequelize, heavy);
  const executions = new BatchStore(sequelize);
  const aggregations = new Set<Promise<AggregationOutcome>>();
  const job = new AggregationJob(
    { stats: statsStore, executions, logger },
    { timeZone: config.STATS_TIME_ZONE, retentionDays: config.BATCH_RETENTION_DAYS, staleAfterMs: config.BATCH_STALE_AFTER_MS },
  );

  const needsKubernetes = config.AGGREGATION_RUNNER === 'kubernetes-job' || config.KAFKA_TOPIC_RESOURCE !== undefined;
  const kube = needsKubernetes ? createKubeClients() : undefined;
  const topicResource = config.KAFKA_TOPIC_RESOURCE !== undefined && config.KAFKA_TOPIC_RESOURCE_NAMESPACE !== undefined
    ? { name: config.KAFKA_TOPIC_RESOURCE, namespace: config.KAFKA_TOPIC_RESOURCE_NAMESPACE }
    : undefined;
  const partitionCount: PartitionSource = async () =>
    kube && topicResource ? { count: await kafkaTopicPartitions(kube, topicResource), source: 'KafkaTopic' } : { count: partitions, source: 'broker' };
  const launcher =
    kube && config.AGGREGATION_RUNNER === 'kubernetes-job' && config.AGGREGATION_CRONJOB !== undefined && config.POD_NAMESPACE !== undefined
      ? new KubernetesAggregationLauncher({
          clients: kube,
          executions,
          namespace: config.POD_NAMESPACE,
          cronJob: config.AGGREGATION_CRONJOB,
          timeZone: config.STATS_TIME_ZONE,
          staleAfterMs: config.BATCH_STALE_AFTER_MS,
          clock,
          logger,
        })
      : undefined;
  const app = createApp({
    logger,
    registry,
    campaigns,
    participations,
    ingest,
    deadLetters,
    topic: config.KAFKA_TOPIC,
    partitions: partitionCount,
    status: { pending: (id) => acceptStore.pending(id) },
    stats: { stats: statsStore, orders: new OrderStore(heavy), campaigns, timeZone: config.STATS_TIME_ZONE, clock },
    batch: { job, executions, timeZone: config.STATS_TIME_ZONE, clock, logger, running: aggregations, launcher },
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
    adminToken: config.ADMIN_AUTH === 'token' ? config.ADMIN_TOKEN : undefined,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    benchNoopRoute: config.BENCH_NOOP_ROUTE,
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
  });

  const server = createServer(
    {
      headersTimeout: config.HEADERS_TIMEOUT_MS,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      // how often the two timeouts above are checked (default 30 s)
      connectionsCheckingInterval: Math.min(1_000, config.HEADERS_TIMEOUT_MS),
    },
    app,
  );
  const connections = guardConnections(server);
  // Longer than typical load balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      lifecycle.draining = true;
      clearTimeout(topicTimer);
      const drainStarted = performance.now();
      const idleSweep = setInterval(() => {
        server.closeIdleConnections();
        if (performance.now() - drainStarted >= DRAIN_GRACE_MS) connections.sweep();
      }, 100);
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
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return { server, url: `http://${shownHost}:${port}`, close };
}
