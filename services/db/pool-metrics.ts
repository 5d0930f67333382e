import type { Sequelize } from 'sequelize';
import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../platform/metrics.js';

interface PoolView {
  readonly size: number;
  readonly available: number;
  readonly using: number;
  readonly waiting: number;
  readonly maxSize: number;
}

function poolOf(sequelize: Sequelize): PoolView | undefined {
  // sequelize's types do not declare its pool; the counters are sequelize-pool's public getters.
  const pool = (sequelize.connectionManager as unknown as { pool?: { write?: PoolView } & Partial<PoolView> }).pool;
  if (pool === undefined) return undefined;
  return typeof pool.size === 'number' ? (pool as PoolView) : pool.write;
}

/** The connection pool at scrape time: in use, idle, and callers waiting for a connection. */
export function registerPoolMetrics(registry: Registry, sequelize: Sequelize): void {
  new Gauge({
    name: `${METRIC_PREFIX}db_pool_connections`,
    help: 'Database pool connections by state; waiting counts callers queued for a connection',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = poolOf(sequelize);
      if (!pool) return;
      this.set({ state: 'in_use' }, pool.using);
      this.set({ state: 'idle' }, pool.available);
      this.set({ state: 'waiting' }, pool.waiting);
      this.set({ state: 'max' }, pool.maxSize);
    },
  });
}
