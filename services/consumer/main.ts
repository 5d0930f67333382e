import { DecisionStore } from '../db/decision-store.js';
import { createSequelize } from '../db/sequelize.js';
import { createKafka } from '../kafka/client.js';
import { DeadLetterPublisher } from '../kafka/dead-letter-publisher.js';
import { assertSinglePartition, prepareTopics } from '../kafka/topics.js';
import { consumerGroupOf, dlqTopicOf } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createRegistry } from '../platform/metrics.js';
import { startOpsServer } from '../platform/ops-server.js';
import { configOrExit, onShutdown } from '../platform/process.js';
import { BatchProcessor } from './batch-processor.js';
import { loadConsumerConfig } from './config.js';
import { Decider } from './decider.js';
import { createConsumerMetrics } from './metrics.js';

const config = configOrExit(() => loadConsumerConfig());
const logger = createLogger('consumer', config.LOG_LEVEL);
const registry = createRegistry('consumer');
const sequelize = createSequelize(config);
const kafka = createKafka(config, logger);
const dlqTopic = dlqTopicOf(config);

const admin = kafka.admin();
await admin.connect();
try {
  const partitions = await prepareTopics(admin, { topic: config.KAFKA_TOPIC, dlqTopic, partitions: config.KAFKA_TOPIC_PARTITIONS });
  assertSinglePartition(config.KAFKA_TOPIC, partitions, config.CONSUMER_ALLOW_MULTIPLE_PARTITIONS);
  if (partitions > 1) logger.warn({ partitions }, 'partition experiment: order holds per partition only');
} catch (err) {
  logger.fatal({ err }, 'cannot start');
  process.exit(1);
} finally {
  await admin.disconnect();
}

const store = new DecisionStore(sequelize);
const deadLetters = new DeadLetterPublisher(kafka, dlqTopic);
const decider = new Decider(
  kafka,
  store,
  new BatchProcessor(store, deadLetters),
  { topic: config.KAFKA_TOPIC, group: consumerGroupOf(config), maxBatch: config.CONSUMER_MAX_BATCH },
  logger,
  createConsumerMetrics(registry),
);
let ready = false;
void decider.ready.then(() => (ready = true));
const ops = await startOpsServer(config.HOST, config.METRICS_PORT, registry, () => ready);
await decider.start();
logger.info({ topic: config.KAFKA_TOPIC, group: consumerGroupOf(config), metricsPort: ops.port }, 'consumer started');

onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  ready = false;
  await decider.stop();
  await deadLetters.close();
  await ops.close();
  await sequelize.close();
});
