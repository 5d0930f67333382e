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
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        if (s) fill(this, s);
      },
    });
  gauge('campaign_remaining_stock', 'Stock left, for open campaigns only (started, not ended, not sold out)', ['campaign_id'], (g, s) => {
    g.reset();
    for (const c of s.campaigns) g.set({ campaign_id: String(c.id) }, c.remainingStock);
  });
  gauge('campaign_winners', 'Winners so far, for open campaigns only', ['campaign_id'], (g, s) => {
    g.reset();
    for (const c of s.campaigns) g.set({ campaign_id: String(c.id) }, c.winners);
  });
  gauge('aggregation_last_success_timestamp_seconds', 'When the newest successful daily aggregation ended (0 if none)', [], (g, s) =>
    g.set((s.aggregation.lastSuccessAt?.getTime() ?? 0) / 1000),
  );
  gauge('aggregation_last_duration_seconds', 'Duration of the newest finished daily aggregation', [], (g, s) => {
    if (s.aggregation.last) g.set(s.aggregation.last.durationSeconds);
  });
  gauge('aggregation_last_status', 'Status of the newest finished daily aggregation: 1 for its status, 0 for the others', ['status'], (g, s) => {
    for (const status of ['COMPLETED', 'PARTIAL', 'FAILED'] as const) g.set({ status }, s.aggregation.last?.status === status ? 1 : 0);
  });
  gauge('aggregation_running', 'Daily aggregations in progress', [], (g, s) => g.set(s.aggregation.running));
}
