import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before } from 'node:test';
import type { RunningApi } from '../../../services/api/server.js';
import { startTestApi } from './api.js';
import { startTestConsumer, type TestConsumer } from './consumer.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePort } from './process.js';

const run = promisify(execFile);

/**
 * A Kafka broker of the test's own (own ports, own data), for tests that stop and start the
 * broker: the shared one may belong to a developer's `make up`. It reuses the installed jars.
 */
export interface OwnBroker {
  readonly brokers: string;
  /** The broker's JVM, for faults the scripts do not make (SIGKILL, SIGSTOP). */
  pid(): Promise<number>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const shared = resolve(process.env.LOCAL_STACK_DIR ?? '.local');
  const dir = mkdtempSync(resolve(shared, 'test-broker-'));
  mkdirSync(resolve(dir, 'kafka'), { recursive: true });
  symlinkSync(resolve(shared, 'kafka', 'libs'), resolve(dir, 'kafka', 'libs'));
  const port = await freePort();
  const env = {
    ...process.env,
    LOCAL_STACK_DIR: dir,
    LOCAL_KAFKA_PORT: String(port),
    LOCAL_KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
  };
  const script = (command: string) => run('bash', ['scripts/kafka.sh', command], { env, timeout: 120_000 });
  const kafka = (command: string) => script(command).then(() => undefined);
  await kafka('start');
  return {
    brokers: `127.0.0.1:${port}`,
    pid: async () => Number((await script('pid')).stdout.trim()),
    stop: () => kafka('stop'),
    start: () => kafka('start'),
    destroy: async () => {
      await kafka('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnBrokerFixture {
  readonly db: TestDatabase;
  readonly broker: OwnBroker;
  readonly api: RunningApi;
  readonly consumer: TestConsumer;
}

/**
 * Registers hooks on the enclosing suite: a database, a broker, an API and a consumer of the
 * suite's own, for tests that stop and start the broker. Call the returned function inside tests.
 */
export function useOwnBrokerFixture(apiEnv: Record<string, string>): () => OwnBrokerFixture {
  const topic = 'campaign-participation';
  let fixture: OwnBrokerFixture | undefined;
  before(async () => {
    const db = await createTestDatabase();
    const broker = await startOwnBroker();
    const api = await startTestApi(db.config, topic, { KAFKA_BROKERS: broker.brokers, ...apiEnv });
    const consumer = await startTestConsumer(db.config, topic, { KAFKA_BROKERS: broker.brokers });
    fixture = { db, broker, api, consumer };
  });
  after(async () => {
    if (!fixture) return;
    await fixture.consumer.stop();
    await fixture.api.close();
    await fixture.broker.destroy();
    await fixture.db.drop();
  });
  return () => {
    if (!fixture) throw new Error('the fixture is only available inside tests');
    return fixture;
  };
}
