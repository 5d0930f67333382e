import type { DbConfig } from '../services/db/sequelize.js';
import { dbEnv, OPEN_UNLIMITED } from '../test/integration/support/api.js';
import { brokers } from '../test/integration/support/kafka.js';
import { freePort, spawnEntrypoint } from '../test/integration/support/process.js';

/**
 * The real API entrypoint on the bench's database and topic. The rate limiter is off and the admin
 * endpoints open (OPEN_UNLIMITED): one client address sends everything, so a per-address limiter
 * would measure itself. `env` comes last and may turn either back on.
 */
export async function spawnBenchApi(db: DbConfig, topic: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const api = spawnEntrypoint('services/api/main.ts', {
    ...OPEN_UNLIMITED,
    ...dbEnv(db),
    PORT: String(port),
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_TOPIC: topic,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '25',
    API_WORKERS: process.env.BENCH_API_WORKERS ?? '2',
    ...env,
  });
  return { port, api };
}
