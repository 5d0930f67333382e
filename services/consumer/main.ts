import { DeadLetterStore } from '../db/dead-letter-store.js';
import { DecisionStore } from '../db/decision-store.js';
import { AGGREGATION_JOB } from '../db/aggregation-run-store.js';
import { ObservedStateStore } from '../db/observed-state-store.js';
import { registerPoolMetrics } from '../db/pool-metrics.js';
import { createSequelize } from '../db/sequelize.js';
import { createKafka, isRetriableKafkaError } from '../kafka/client.js';
import { DeadLetterPublisher } from '../kafka/dead-letter-publisher.js';
import { fetchTopicId } from '../kafka/topic-id.js';
import { assertSinglePartition, prepareTopics, retryWhileRetriable } from '../kafka/topics.js';
import { consumerGroupOf, dlqTopicOf } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createRegistry } from '../platform/metrics.js';
import { startOpsServer } from '../platform/ops-server.js';
import { configOrExit, onShutdown } from '../platform/process.js';
import { BatchProcessor } from './batch-processor.js';
import { loadConsumerConfig } from './config.js';
import { DeadLetterRelay } from './dead-letter-relay.js';
import { LagMonitor } from './lag-monitor.js';
import { LogConsumer } from './log-consumer.js';
import { createConsumerMetrics } from './metrics.js';
import { registerStateMetrics } from './state-metrics.js';

const config = configOrExit(() => loadConsumerConfig());
const logger = createLogger('consumer', config.LOG_LEVEL);
const clock = () => new Date();
const registry = createRegistry('consumer');
// read at scrape time only, when `consumer` below exists
const metrics = createConsumerMetrics(registry, () => consumer.health().stalled);
const sequelize = createSequelize(config);
const kafka = createKafka(config, logger);
registerPoolMetrics(registry, sequelize);
registerStateMetrics(registry, { store: new ObservedStateStore(sequelize), jobName: AGGREGATION_JOB, clock, logger, maxCampaigns: 200, cacheMs: 2_000 });
const dlqTopic = dlqTopicOf(config);
const group = consumerGroupOf(config);
const topicId = () => fetchTopicId(config.KAFKA_BROKERS, config.KAFKA_TOPIC, config.KAFKA_CLIENT_ID);

const admin = kafka.admin();
await admin.connect();
try {
  const partitions = await retryWhileRetriable(
    () => prepareTopics(admin, { topic: config.KAFKA_TOPIC, dlqTopic, partitions: config.KAFKA_TOPIC_PARTITIONS }),
    (err, waitMs) => logger.warn({ err, retryInMs: waitMs }, 'topics not ready yet (another process may be creating them)'),
  );
  assertSinglePartition(config.KAFKA_TOPIC, partitions, config.CONSUMER_ALLOW_MULTIPLE_PARTITIONS);
  if (partitions > 1) logger.warn({ partitions }, 'partition experiment: order holds per partition only');
} catch (err) {
  logger.fatal({ err }, 'cannot start');
  process.exit(1);
} finally {
  await admin.disconnect();
}

const store = new DecisionStore(sequelize);
const publisher = new DeadLetterPublisher(kafka, dlqTopic);
const relay = new DeadLetterRelay({
  outbox: new DeadLetterStore(sequelize),
  sink: publisher,
  isRetriable: isRetriableKafkaError,
  logger,
  clock,
  drainIntervalMs: config.CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS,
  onBacklog: (n) => metrics.deadLettersUnpublished.set(n),
  onRefused: () => metrics.deadLetterCopiesRefused.inc(),
});
const consumer = new LogConsumer(
  {
    kafka,
    store,
    processor: new BatchProcessor({ store, clock }),
    logger,
    metrics,
    clock: () => Date.now(),
    topicId,
    onCommitted: (result) => {
      if (result.deadLettered.length > 0) relay.kick();
    },
  },
  {
    topic: config.KAFKA_TOPIC,
    group,
    maxBatch: config.CONSUMER_MAX_BATCH,
    partitionsConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
    stallAfterMs: config.CONSUMER_STALL_AFTER_MS,
    sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
  },
);
const lag = new LagMonitor({
  kafka,
  store,
  clock,
  topic: config.KAFKA_TOPIC,
  group,
  metrics,
  logger,
  intervalMs: config.CONSUMER_LAG_INTERVAL_MS,
  topicId,
  onTopicId: (id) => consumer.observeTopicId(id),
  onLogEnd: (partition, end) => consumer.observeLogEnd(partition, end),
});
const ops = await startOpsServer(config.HOST, config.METRICS_PORT, registry, () => consumer.health());
relay.start();
lag.start();
await consumer.start();
logger.info({ topic: config.KAFKA_TOPIC, group, metricsPort: ops.port }, 'consumer started');

onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  await consumer.stop();
  await lag.stop();
  await relay.close();
  await publisher.close();
  await ops.close();
  await store.close();
  await sequelize.close();
});
