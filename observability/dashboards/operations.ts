import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { newDashboard, stat, timeseries } from './panels.js';

const quantiles = (metric: string, selector = '') =>
  [0.5, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket${selector}[$__rate_interval])))`,
    legend: `p${q * 100}`,
  }));

/** For the people running the platform: broker, database, batches, dead letters, aggregation, pods. */
export function operationsDashboard(): Dashboard {
  return newDashboard('fcfs-campaign-operations', 'FCFS campaign / Operations', 'How the parts behave: broker, database pool, consumer batches, dead letters, aggregation runs and processes.')
    .withRow(new RowBuilder('Broker'))
    .withPanel(timeseries('Produce batch size', 'Participations carried by one produce request: grows with load (micro-batching).', 'short', quantiles('fcfs_api_produce_batch_size'), 8))
    .withPanel(timeseries('Produce latency', 'Send to acknowledgement of one produce request (acks=all).', 's', quantiles('fcfs_api_produce_duration_seconds'), 8))
    .withPanel(timeseries('Waiting for the broker', 'Participations queued or in flight, per API process; failures are produce requests answered 503.', 'short', [
      { expr: 'sum by (instance) (fcfs_api_produce_waiting)', legend: 'waiting {{instance}}' },
      { expr: 'sum(rate(fcfs_api_produce_failures_total[$__rate_interval]))', legend: 'failures/s' },
    ], 8))
    .withRow(new RowBuilder('Database'))
    .withPanel(timeseries('Pool connections', 'Per process: in use, idle, and callers waiting for a connection.', 'short', [
      { expr: 'sum by (component, state) (fcfs_db_pool_connections{state!="max"})', legend: '{{component}} {{state}}' },
    ]))
    .withPanel(timeseries('Batch failures by cause', 'Consumer transactions that failed and were retried.', 'ops', [
      { expr: 'sum by (cause) (rate(fcfs_consumer_batch_failures_total[$__rate_interval]))', legend: '{{cause}}' },
    ]))
    .withRow(new RowBuilder('Consumer batches'))
    .withPanel(timeseries('Batch size', 'Log entries decided per transaction.', 'short', quantiles('fcfs_consumer_batch_size'), 8))
    .withPanel(timeseries('Batch duration', 'Decide and commit one batch.', 's', quantiles('fcfs_consumer_batch_duration_seconds'), 8))
    .withPanel(timeseries('Retried requests', 'Log entries skipped because their requestId was already decided (client retries).', 'ops', [
      { expr: 'sum(rate(fcfs_consumer_retried_requests_total[$__rate_interval]))', legend: 'retries/s' },
    ], 8))
    .withRow(new RowBuilder('Dead letters'))
    .withPanel(timeseries('Dead letters by reason', 'Entries set aside: POISON, UNKNOWN_CAMPAIGN, REQUEST_ID_REUSED.', 'short', [
      { expr: 'sum by (reason) (increase(fcfs_consumer_dead_letters_total[$__rate_interval]))', legend: '{{reason}}' },
    ], 8))
    .withPanel(stat('Not yet on the topic', 'Dead letters committed but not copied to the dead-letter topic yet.', 'short', { expr: 'max(fcfs_consumer_dead_letters_unpublished)' }, 8))
    .withPanel(stat('Copies refused', 'Dead letters the broker refused to take (kept in the database only).', 'short', { expr: 'sum(fcfs_consumer_dead_letter_copies_refused_total)' }, 8))
    .withRow(new RowBuilder('Aggregation runs'))
    .withPanel(stat('Since last success', 'Time since the newest successful daily aggregation ended.', 's', { expr: 'time() - max(fcfs_aggregation_last_success_timestamp_seconds)' }))
    .withPanel(stat('Last duration', 'How long the newest finished aggregation took.', 's', { expr: 'max(fcfs_aggregation_last_duration_seconds)' }))
    .withPanel(stat('Last failed', '1 when the newest finished aggregation ended FAILED or PARTIAL.', 'short', { expr: 'max(fcfs_aggregation_last_status{status=~"FAILED|PARTIAL"})' }))
    .withPanel(stat('Running', 'Aggregations in progress.', 'short', { expr: 'max(fcfs_aggregation_running)' }))
    .withRow(new RowBuilder('Processes'))
    .withPanel(timeseries('Up', 'Scraped processes by component.', 'short', [{ expr: 'sum by (component) (up{component=~"api|consumer|operator"})', legend: '{{component}}' }], 8))
    .withPanel(timeseries('CPU', 'CPU seconds per second, per process.', 'percentunit', [
      { expr: 'sum by (component, instance) (rate(fcfs_process_cpu_seconds_total[$__rate_interval]))', legend: '{{component}} {{instance}}' },
    ], 8))
    .withPanel(timeseries('Memory', 'Resident memory per process.', 'bytes', [
      { expr: 'max by (component, instance) (fcfs_process_resident_memory_bytes)', legend: '{{component}} {{instance}}' },
    ], 8))
    .withPanel(timeseries('Event loop lag p99', 'Node.js event loop delay, p99, per process.', 's', [
      { expr: 'max by (component, instance) (fcfs_nodejs_eventloop_lag_p99_seconds)', legend: '{{component}} {{instance}}' },
    ]))
    .withPanel(timeseries('HTTP by route and status class', 'Requests per second of every API route (probes and /metrics excluded).', 'reqps', [
      { expr: 'sum by (route, status_class) (rate(fcfs_http_request_duration_seconds_count[$__rate_interval]))', legend: '{{route}} {{status_class}}' },
    ]))
    .build();
}
