import { Gauge, type Registry } from 'prom-client';
import type { AggregationSummary, ObservedStateStore, OpenCampaign } from '../db/observed-state-store.js';
import type { Logger } from '../platform/logger.js';
import { METRIC_PREFIX } from '../platform/metrics.js';

export interface StateMetricsOptions {
  store: ObservedStateStore;
  jobName: string;
  clock: () => Date;
  logger: Logger;
  /** Open campaigns exported at most (one series each): bounded cardinality. */
  maxCampaigns: number;
  /** One database read serves every gauge of a scrape, and scrapes closer than this. */
  cacheMs: number;
}

interface Snapshot {
  campaigns: OpenCampaign[];
  aggregation: AggregationSummary;
}

/**
 * State read from the database at scrape time and exported by the consumer: it is the one
 * long-lived process with a single replica, so each series exists once, whatever the number of
 * API replicas. The aggregator's runs are exported here too: its CronJob pods live for seconds, and
 * the executions table already records every run, so no Pushgateway is needed to see them.
 */
export function registerStateMetrics(registry: Registry, options: StateMetricsOptions): void {
  let cached: { at: number; snapshot: Promise<Snapshot | null> } | undefined;
  const snapshot = (): Promise<Snapshot | null> => {
    const now = options.clock().getTime();
    if (!cached || now - cached.at > options.cacheMs) {
      cached = {
        at: now,
        snapshot: Promise.all([options.store.openCampaigns(options.maxCampaigns, options.clock()), options.store.aggregationSummary(options.jobName)]).then(
          ([campaigns, aggregation]) => ({ campaigns, aggregation }),
          (err: unknown) => {
            options.logger.warn({ err }, 'state metrics not read this scrape');
            return null;
          },
        ),
      };
    }
    return cached.snapshot;
  };
  const registers = [registry];
  new Gauge({
    name: `${METRIC_PREFIX}campaign_remaining_stock`,
    help: 'Stock left, for open campaigns only (started, not ended, not sold out)',
    labelNames: ['campaign_id'],
    registers,
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const c of s?.campaigns ?? []) this.set({ campaign_id: String(c.id) }, c.remainingStock);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}campaign_winners`,
    help: 'Winners so far, for open campaigns only',
    labelNames: ['campaign_id'],
    registers,
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const c of s?.campaigns ?? []) this.set({ campaign_id: String(c.id) }, c.winners);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}aggregation_last_success_timestamp_seconds`,
    help: 'When the newest successful daily aggregation ended (0 if none)',
    registers,
    async collect() {
      const s = await snapshot();
      if (s) this.set((s.aggregation.lastSuccessAt?.getTime() ?? 0) / 1000);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}aggregation_last_duration_seconds`,
    help: 'Duration of the newest finished daily aggregation',
    registers,
    async collect() {
      const s = await snapshot();
      if (s?.aggregation.last) this.set(s.aggregation.last.durationSeconds);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}aggregation_last_status`,
    help: 'Status of the newest finished daily aggregation: 1 for its status, 0 for the others',
    labelNames: ['status'],
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      for (const status of ['COMPLETED', 'PARTIAL', 'FAILED'] as const) this.set({ status }, s.aggregation.last?.status === status ? 1 : 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}aggregation_running`,
    help: 'Daily aggregations in progress',
    registers,
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.aggregation.running);
    },
  });
}
