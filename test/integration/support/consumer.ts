import { QueryTypes, type Sequelize } from 'sequelize';
import type { DbConfig } from '../../../services/db/sequelize.js';
import { dbEnv } from './api.js';
import { brokers } from './kafka.js';
import { FatalWaitError, freePort, spawnEntrypoint, waitFor, type Spawned } from './process.js';

export interface TestConsumer extends Spawned {
  readonly metricsUrl: string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The real consumer entrypoint as its own process, ready once it has its partition assigned;
 * with `until: 'serving'`, as soon as its /readyz answers at all (a consumer expected to refuse).
 */
export async function startTestConsumer(db: DbConfig, topic: string, env: Record<string, string> = {}, until: 'ready' | 'serving' = 'ready'): Promise<TestConsumer> {
  const port = env.METRICS_PORT ? Number(env.METRICS_PORT) : await freePort();
  const proc = spawnEntrypoint('services/consumer/main.ts', {
    ...dbEnv(db),
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC: topic,
    METRICS_PORT: String(port),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    ...env,
  });
  const metricsUrl = `http://127.0.0.1:${port}`;
  let exited = false;
  void proc.exited().then(() => (exited = true));
  await waitFor(
    `consumer ${until}`,
    async () => {
    if (exited) throw new FatalWaitError('consumer exited during start');
    const { status } = await fetch(`${metricsUrl}/readyz`);
    return until === 'serving' || status === 200;
  }, 60_000).catch((err: unknown) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.output().slice(-3000)}`);
  });
  return {
    ...proc,
    metricsUrl,
    stop: async () => {
      proc.child.kill('SIGTERM');
      return proc.exited();
    },
  };
}

/**
 * Until the consumer of `topic` has recorded itself at the log end after `since`: from then on a
 * day that ended (with its margin) before `since` counts as decided, and the aggregation does it.
 */
export async function waitForCaughtUp(sequelize: Sequelize, topic: string, since: Date, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `the consumer of ${topic} caught up after ${since.toISOString()}`,
    async () => {
      const [row] = await sequelize.query<{ caught_up_at: Date | null }>('SELECT MIN(caught_up_at) AS caught_up_at FROM consumer_offsets WHERE topic = ?', {
        replacements: [topic],
        type: QueryTypes.SELECT,
      });
      return row?.caught_up_at != null && row.caught_up_at.getTime() >= since.getTime();
    },
    timeoutMs,
  );
}
