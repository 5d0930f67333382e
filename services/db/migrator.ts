import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { packageVersion } from '../platform/package-info.js';
import * as initial from './migrations/0001-initial.js';
import * as kafkaPath from './migrations/0002-kafka-path.js';
import * as dailyStats from './migrations/0003-daily-stats.js';
import * as truthfulAnswers from './migrations/0004-truthful-answers.js';
import * as campaignResources from './migrations/0005-campaign-resources.js';
import * as deciderProgress from './migrations/0006-decider-progress.js';
import * as topicIdentity from './migrations/0007-topic-identity.js';
import * as winnersExpand from './migrations/0008-winners-expand.js';
import * as winnersContract from './migrations/0009-winners-contract.js';

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
  ['0008-winners-expand', winnersExpand],
  ['0009-winners-contract', winnersContract],
];

/**
 * Contract migrations, each with the expand migration it finishes. The migrations run as a
 * pre-upgrade hook while the previous release's pods still run, so a contract migration removes
 * what only code older than its expand migration needs: it may run only once no such code can be
 * running. See `migrateUp` for the rule.
 */
export const CONTRACTS: ReadonlyMap<string, string> = new Map([['0009-winners-contract', '0008-winners-expand']]);

/** Which package version applied each migration (beside umzug's own table, which holds names only). */
const RUNS_TABLE = 'schema_migration_runs';

/** umzug's table of applied names, plus the package version of the run that applied each one. */
class VersionedStorage extends SequelizeStorage {
  constructor(
    private readonly db: Sequelize,
    private readonly version: string,
  ) {
    super({ sequelize: db, tableName: 'schema_migrations' });
  }

  override async logMigration({ name }: { name: string }): Promise<void> {
    await super.logMigration({ name });
    await this.db.query(`
      CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (
        name VARCHAR(255) CHARACTER SET ascii NOT NULL PRIMARY KEY,
        package_version VARCHAR(64) NOT NULL,
        applied_at DATETIME(3) NOT NULL
      ) ENGINE=InnoDB`);
    await this.db.query(`REPLACE INTO ${RUNS_TABLE} (name, package_version, applied_at) VALUES (?, ?, UTC_TIMESTAMP(3))`, { replacements: [name, this.version] });
  }

  override async unlogMigration({ name }: { name: string }): Promise<void> {
    await super.unlogMigration({ name });
    if (await tableExists(this.db, RUNS_TABLE)) await this.db.query(`DELETE FROM ${RUNS_TABLE} WHERE name = ?`, { replacements: [name] });
  }
}

async function tableExists(sequelize: Sequelize, table: string): Promise<boolean> {
  const rows = await sequelize.query('SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', {
    replacements: [table],
    type: QueryTypes.SELECT,
  });
  return rows.length > 0;
}

export interface MigratorOptions {
  /** The package version recorded for the migrations this migrator applies (default: package.json's). */
  readonly version?: string;
}

export function createMigrator(sequelize: Sequelize, options: MigratorOptions = {}): Umzug<QueryInterface> {
  return new Umzug({
    migrations: migrations.map(([name, m]) => ({
      name,
      up: ({ context }) => m.up(context),
      down: ({ context }) => m.down(context),
    })),
    context: sequelize.getQueryInterface(),
    storage: new VersionedStorage(sequelize, options.version ?? packageVersion()),
    logger: undefined,
  });
}

/** The package version that applied `name`, if recorded. */
async function appliedBy(sequelize: Sequelize, name: string): Promise<string | undefined> {
  if (!(await tableExists(sequelize, RUNS_TABLE))) return undefined;
  const rows = await sequelize.query<{ package_version: string }>(`SELECT package_version FROM ${RUNS_TABLE} WHERE name = ?`, {
    replacements: [name],
    type: QueryTypes.SELECT,
  });
  return rows[0]?.package_version;
}

export interface MigrateResult {
  /** The names applied (empty when already current). */
  readonly applied: string[];
  /** Contract migrations held back, with why (they apply with a later release). */
  readonly held: { name: string; reason: string }[];
}

/**
 * Applies pending migrations, except a contract migration (CONTRACTS) whose time has not come. A
 * contract migration applies only
 * - on a database that was empty when this run started (its expand migration applies in the same
 *   run: no code older than it can be writing), or
 * - when its expand migration was applied by an earlier run of a DIFFERENT package version: that
 *   release has been rolled out since, so the pods still running while this run's release rolls
 *   out are of it or later, all of which work without what the contract removes.
 * A second run of the version that applied the expand migration (a retried hook, a second
 * `helm upgrade` of the same release, `make up` again) holds it back, and so every migration
 * after it. The schema then stays in the expand state, which old and new code both work in.
 */
export async function migrateAll(sequelize: Sequelize, options: MigratorOptions = {}): Promise<MigrateResult> {
  const version = options.version ?? packageVersion();
  const migrator = createMigrator(sequelize, { version });
  const executed = new Set((await migrator.executed()).map((m) => m.name));
  const pending = (await migrator.pending()).map((m) => m.name);
  const fresh = executed.size === 0;
  let runnable = pending.length;
  const held: { name: string; reason: string }[] = [];
  for (const [i, name] of pending.entries()) {
    const expand = CONTRACTS.get(name);
    if (expand === undefined || fresh) continue;
    const by = executed.has(expand) ? await appliedBy(sequelize, expand) : undefined;
    if (by !== undefined && by !== version) continue;
    runnable = i;
    held.push({
      name,
      reason: !executed.has(expand)
        ? `${expand} applies in this run, while the previous release may still be running: ${name} applies with a later release`
        : by === undefined
          ? `no record of which version applied ${expand}: ${name} waits`
          : `${expand} was applied by this version (${version}): ${name} applies with a later release`,
    });
    break;
  }
  if (runnable === 0) return { applied: [], held };
  const applied = await migrator.up({ to: pending[runnable - 1] });
  return { applied: applied.map((m) => m.name), held };
}

/** Applies pending migrations under the rule of `migrateAll`; returns the names applied (empty when already current). */
export async function migrateUp(sequelize: Sequelize, options: MigratorOptions = {}): Promise<string[]> {
  return (await migrateAll(sequelize, options)).applied;
}
