import { loadApiConfig } from '../../../services/api/config.js';
import { startApi, type RunningApi } from '../../../services/api/server.js';
import type { DbConfig } from '../../../services/db/sequelize.js';
import { createLogger } from '../../../services/platform/logger.js';
import { brokers } from './kafka.js';

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
