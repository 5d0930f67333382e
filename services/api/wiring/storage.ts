import { AcceptStore } from '../../db/accept-store.js';
import { AggregationRunStore } from '../../db/aggregation-run-store.js';
import { CampaignStore } from '../../db/campaign-store.js';
import { DeadLetterStore } from '../../db/dead-letter-store.js';
import { HeavyQueries } from '../../db/heavy-query.js';
import { defineModels } from '../../db/models.js';
import { OrderStore } from '../../db/order-store.js';
import { ParticipationStore } from '../../db/participation-store.js';
import { createSequelize } from '../../db/sequelize.js';
import { StatsStore } from '../../db/stats-store.js';
import type { ApiConfig } from '../config.js';

export type Storage = ReturnType<typeof createStorage>;

/** One connection pool and every store the API reads and writes through. */
export function createStorage(config: ApiConfig) {
  const sequelize = createSequelize(config);
  const heavy = new HeavyQueries(sequelize, config.HEAVY_QUERY_TIMEOUT_MS);
  return {
    sequelize,
    campaigns: new CampaignStore(defineModels(sequelize)),
    participations: new ParticipationStore(sequelize),
    accepts: new AcceptStore(sequelize),
    deadLetters: new DeadLetterStore(sequelize),
    stats: new StatsStore(sequelize, heavy),
    orders: new OrderStore(heavy),
    executions: new AggregationRunStore(sequelize),
  };
}
