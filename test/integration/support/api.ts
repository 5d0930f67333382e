import { loadApiConfig } from '../../../services/api/config.js';
import { startApi, type RunningApi } from '../../../services/api/server.js';
import type { DbConfig } from '../../../services/db/sequelize.js';
import { createLogger } from '../../../services/platform/logger.js';

/** The real API on an ephemeral port against the given database. */
export function startTestApi(db: DbConfig, env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadApiConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_HOST: db.DB_HOST,
    DB_PORT: String(db.DB_PORT),
    DB_USER: db.DB_USER,
    DB_PASSWORD: db.DB_PASSWORD,
    DB_NAME: db.DB_NAME,
    DB_POOL_MAX: '20',
    ...env,
  });
  return startApi({ ...config, PORT: 0 }, createLogger('api-test', config.LOG_LEVEL));
}
