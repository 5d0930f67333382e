import { z } from 'zod';
import { statsConfigShape } from '../aggregator/config.js';
import { commonConfigShape, dbConfigShape, env, kafkaConfigShape, loadConfig, topicConfigShape } from '../platform/config.js';

export const apiConfigShape = {
  ...commonConfigShape,
  ...dbConfigShape,
  ...kafkaConfigShape,
  ...topicConfigShape,
  ...statsConfigShape,
  /** How long the broker may take to acknowledge before the client gets 503. */
  PRODUCE_TIMEOUT_MS: env.int(2_000, 100, 60_000),
  PRODUCE_MAX_BATCH: env.int(10_000, 1, 100_000),
  PRODUCE_MAX_BATCH_BYTES: env.int(900_000, 1_000, 100_000_000),
  /** How stale the ingest path's view of a campaign (exists, window, sold out) may be. */
  CAMPAIGN_CACHE_TTL_MS: env.int(200, 0, 60_000),
  ACCEPT_FLUSH_INTERVAL_MS: env.int(500, 10, 60_000),
  /** With several partitions (the experiment): place a participation by `user` or by `campaign`. */
  PARTITION_KEY: z.enum(['user', 'campaign'], { message: 'expected user or campaign' }).default('user'),
  PORT: env.listenPort(8080),
  /** Processes sharing the port (node:cluster). 1 in Kubernetes, where replicas scale out; more on a single box. */
  API_WORKERS: env.int(1, 1, 64),
  /** Mounts POST /api/bench/noop (parse JSON, answer 202): the baseline of `make bench`. */
  BENCH_NOOP_ROUTE: env.bool(false),
  ADMIN_TOKEN: env.optionalString(),
  BODY_LIMIT_BYTES: env.int(16_384, 64, 1_048_576),
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 0, 120_000),
};

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig(apiConfigShape, source);
}
