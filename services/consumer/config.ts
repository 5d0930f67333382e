import { commonConfigShape, dbConfigShape, env, kafkaConfigShape, listenConfigShape, loadConfig, topicConfigShape } from '../platform/config.js';

export const consumerConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  ...kafkaConfigShape,
  ...topicConfigShape,
  ...listenConfigShape,
  /** Log entries decided per database transaction at most. */
  CONSUMER_MAX_BATCH: env.int(5_000, 1, 50_000),
  CONSUMER_ALLOW_MULTIPLE_PARTITIONS: env.bool(false),
  METRICS_PORT: env.listenPort(9464),
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, 0, 120_000),
};

export type ConsumerConfig = ReturnType<typeof loadConsumerConfig>;

export function loadConsumerConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig(consumerConfigShape, source);
}
