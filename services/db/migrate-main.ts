import { commonConfigShape, dbConfigShape, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { configOrExit } from '../platform/process.js';
import { migrateAll } from './migrator.js';
import { createSequelize } from './sequelize.js';

const config = configOrExit(() => loadConfig({ ...commonConfigShape, ...dbConfigShape }));
const logger = createLogger('migrate', config.LOG_LEVEL);
const sequelize = createSequelize(config);
try {
  const { applied, held } = await migrateAll(sequelize);
  logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema already current');
  // Not an error: a contract migration waits for the next release (see migrator.ts).
  for (const h of held) logger.warn({ migration: h.name }, `migration held back: ${h.reason}`);
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
