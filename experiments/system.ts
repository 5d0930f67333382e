import { randomBytes } from 'node:crypto';
import { dbEnv } from '../test/integration/support/api.js';
import { startTestConsumer, type TestConsumer } from '../test/integration/support/consumer.js';
import type { TestDatabase } from '../test/integration/support/database.js';
import { brokers, deleteTopics, uniqueTopic } from '../test/integration/support/kafka.js';
import { freePort, spawnEntrypoint, waitFor, type Spawned } from '../test/integration/support/process.js';

export interface SystemOptions {
  partitions?: number;
  /** How the api places a participation: by user (the experiment mode) or by campaign. */
  partitionKey?: 'user' | 'campaign';
  apiWorkers?: number;
}

export interface RunningSystem {
  readonly url: string;
  readonly adminToken: string;
  admin(path: string, body?: unknown): Promise<unknown>;
  /** Stops the consumer (the log keeps what arrives), runs `work`, starts it again; resolves once it is ready. */
  withConsumerStopped<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The api and the consumer as their own processes on a topic of their own, as deployed: admin
 * endpoints behind a bearer token, the participation rate limiter off (the load is the point).
 */
export async function startSystem(db: TestDatabase, options: SystemOptions = {}): Promise<RunningSystem> {
  const topic = uniqueTopic('load');
  const adminToken = randomBytes(24).toString('hex');
  const partitions = String(options.partitions ?? 1);
  const kafkaEnv = { KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC: topic, KAFKA_TOPIC_PARTITIONS: partitions };
  let api: Spawned | undefined;
  let consumer: TestConsumer | undefined;
  const stop = async () => {
    await consumer?.stop();
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited();
    }
    await deleteTopics([topic]);
  };
  try {
    // the consumer first: it creates the topic with its partitions
    // one decider per partition: each partition's batches in transactions of their own, concurrently
    const consumerEnv = { ...kafkaEnv, CONSUMER_ALLOW_MULTIPLE_PARTITIONS: 'true', CONSUMER_PARTITIONS_CONCURRENTLY: partitions, LOG_LEVEL: 'warn' };
    consumer = await startTestConsumer(db.config, topic, consumerEnv);
    const port = await freePort();
    api = spawnEntrypoint('services/api/main.ts', {
      ...dbEnv(db.config),
      ...kafkaEnv,
      PORT: String(port),
      PARTITION_KEY: options.partitionKey ?? 'user',
      API_WORKERS: String(options.apiWorkers ?? 1),
      ADMIN_TOKEN: adminToken,
      RATE_LIMIT_ENABLED: 'false',
      BULK_MAX_COUNT: '10000000',
      ACCEPT_FLUSH_INTERVAL_MS: '100',
      LOG_LEVEL: 'warn',
    });
    const url = `http://127.0.0.1:${port}`;
    const started = api;
    await waitFor('api ready', async () => (await fetch(`${url}/readyz`)).status === 200, 60_000).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${started.output().slice(-3000)}`);
    });
    const admin = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}/api/admin${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as { data: unknown };
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json.data;
    };
    const withConsumerStopped = async <T>(work: () => Promise<T>): Promise<T> => {
      await consumer?.stop();
      consumer = undefined;
      const result = await work();
      consumer = await startTestConsumer(db.config, topic, consumerEnv);
      return result;
    };
    return { url, adminToken, admin, withConsumerStopped, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
