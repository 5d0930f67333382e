import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import * as initial from './migrations/0001-initial.js';
import * as kafkaPath from './migrations/0002-kafka-path.js';
import * as dailyStats from './migrations/0003-daily-stats.js';
import * as truthfulAnswers from './migrations/0004-truthful-answers.js';
import * as campaignResources from './migrations/0005-campaign-resources.js';
import * as deciderProgress from './migrations/0006-decider-progress.js';
import * as topicIdentity from './migrations/0007-topic-identity.js';

interface MigrationModule {
  up(qi: QueryInterface): Promise<void>;
  down(qi: QueryInterface): Promise<void>;
}

// An explicit list instead of a glob: the same code runs from .ts sources and compiled .js.
const migrations: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['0001-initial', initial],
  ['0002-kafka-path', kafkaPath],
  ['0003-daily-stats', dailyStats],
  ['0004-truthful-answers', truthfulAnswers],
  ['0005-campaign-resources', campaignResources],
  ['0006-decider-progress', deciderProgress],
  ['0007-topic-identity', topicIdentity],
];

export function createMigrator(sequelize: Sequelize): Umzug<QueryInterface> {
  return new Umzug({
    migrations: migrations.map(([name, m]) => ({
      name,
      up: ({ context }) => m.up(context),
      down: ({ context }) => m.down(context),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Applies pending migrations; returns the names applied (empty when already current). */
export async function migrateUp(sequelize: Sequelize): Promise<string[]> {
  const applied = await createMigrator(sequelize).up();
  return applied.map((m) => m.name);
}
