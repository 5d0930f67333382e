import { commonConfigShape, dbConfigShape, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { configOrExit } from '../platform/process.js';
import { migrateUp } from './migrator.js';
import { createSequelize } from './sequelize.js';

const config = configOrExit(() => loadConfig({ ...commonConfigShape, ...dbConfigShape }));
const logger = createLogger('migrate', config.LOG_LEVEL);
const sequelize = createSequelize(config);
try {
  const applied = await migrateUp(sequelize);
  logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema already current');
} catch (err) {
  logger.error({ err }, 'migration failed');
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
