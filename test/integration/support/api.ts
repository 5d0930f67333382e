import { loadApiConfig } from '../../../services/api/config.js';
import { startApi, type RunningApi } from '../../../services/api/server.js';
import type { DbConfig } from '../../../services/db/sequelize.js';
import { createLogger } from '../../../services/platform/logger.js';
import { brokers } from './kafka.js';
import { FatalWaitError, spawnEntrypoint, waitFor, type Spawned } from './process.js';

export function dbEnv(db: DbConfig): Record<string, string> {
  return {
    DB_HOST: db.DB_HOST,
    DB_PORT: String(db.DB_PORT),
    DB_USER: db.DB_USER,
    DB_PASSWORD: db.DB_PASSWORD,
    DB_NAME: db.DB_NAME,
  };
}

/**
 * Suites drive the admin endpoints without a token and send thousands of requests from one
 * address; the suites about admin access and rate limits set these themselves.
 */
export const OPEN_UNLIMITED: Readonly<Record<string, string>> = { ADMIN_AUTH: 'disabled', RATE_LIMIT_ENABLED: 'false' };

/** The real API on an ephemeral port against the given database and topic. */
export function startTestApi(db: DbConfig, topic: string, env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadApiConfig({
    ...OPEN_UNLIMITED,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC: topic,
    // A loaded machine can take seconds to acknowledge a large produce request; the tests that
    // are about the timeout set their own.
    PRODUCE_TIMEOUT_MS: '30000',
    ...dbEnv(db),
    ...env,
  });
  return startApi(config, createLogger('api-test', config.LOG_LEVEL));
}

export interface TestApiProcess extends Spawned {
  readonly url: string;
}

/**
 * The real API entrypoint as its own process (one a test can SIGKILL or SIGSTOP), on `port` so
 * that a restarted one is reached at the same address; ready once /readyz answers 200.
 */
export async function startTestApiProcess(db: DbConfig, topic: string, port: number, env: Record<string, string> = {}): Promise<TestApiProcess> {
  const proc = spawnEntrypoint('services/api/main.ts', {
    ...OPEN_UNLIMITED,
    ...dbEnv(db),
    PORT: String(port),
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC: topic,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  void proc.exited().then(() => (exited = true));
  await waitFor(
    'api ready',
    async () => {
      if (exited) throw new FatalWaitError('api exited during start');
      return (await fetch(`${url}/readyz`)).status === 200;
    },
    60_000,
  ).catch((err: unknown) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.output().slice(-3000)}`);
  });
  return { ...proc, url };
}
