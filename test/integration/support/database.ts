import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { migrateUp } from '../../../services/db/migrator.js';
import { createSequelize, type DbConfig } from '../../../services/db/sequelize.js';
import { dbConfigShape, loadConfig } from '../../../services/platform/config.js';

/** The server the tests use: the project's local MariaDB unless DB_* say otherwise. */
export function serverConfig(): DbConfig {
  return loadConfig(dbConfigShape, { DB_PORT: '13306', DB_PASSWORD: 'campaign', ...process.env });
}

export interface TestDatabase {
  readonly config: DbConfig;
  readonly sequelize: Sequelize;
  drop(): Promise<void>;
}

/** A fresh, migrated database of the test's own, dropped afterwards; on `server` if given (one the test may kill). */
export async function createTestDatabase(options: { migrate?: boolean; server?: DbConfig } = {}): Promise<TestDatabase> {
  const server = options.server ?? serverConfig();
  const name = `fcfs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = createSequelize({ ...server, DB_NAME: 'mysql', DB_POOL_MAX: 1 });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.close();
  const config = { ...server, DB_NAME: name };
  const sequelize = createSequelize(config);
  if (options.migrate !== false) await migrateUp(sequelize);
  return {
    config,
    sequelize,
    drop: async () => {
      await sequelize.close();
      const cleanup = createSequelize({ ...server, DB_NAME: 'mysql', DB_POOL_MAX: 1 });
      await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
      await cleanup.close();
    },
  };
}
