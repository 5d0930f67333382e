import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { barGauge, newDashboard, stat, timeseries } from './panels.js';

const PARTICIPATION = 'route="/api/campaigns/:campaignId/participation"';
const quantile = (q: number, metric: string, selector = '') =>
  `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket${selector ? `{${selector}}` : ''}[$__rate_interval])))`;

/** For the people running a campaign: the rush at a glance, and whether anything is wrong. */
export function overviewDashboard(): Dashboard {
  return newDashboard('fcfs-campaign-overview', 'FCFS campaign / Overview', 'Requests arriving, answers given, the log draining, stock left and winners.')
    .withRow(new RowBuilder('The rush'))
    .withPanel(stat('Requests/s', 'Participation requests answered per second (Kafka path), all outcomes.', 'reqps', { expr: 'sum(rate(fcfs_api_ingest_outcomes_total[1m]))' }))
    .withPanel(stat('Accepted/s', 'Requests durably accepted into the log per second.', 'reqps', { expr: 'sum(rate(fcfs_api_ingest_outcomes_total{outcome="accepted"}[1m]))' }))
    .withPanel(stat('p99 latency', 'p99 of the participation endpoint over the last minute (SLO: 99 % within 250 ms).', 's', {
      expr: `histogram_quantile(0.99, sum by (le) (rate(fcfs_http_request_duration_seconds_bucket{${PARTICIPATION}}[1m])))`,
    }))
    .withPanel(stat('Answered 503', 'Share of participations answered 503 (not confirmed) over 5 minutes.', 'percentunit', { expr: 'fcfs:ingest_unavailable_ratio:rate5m' }))
    .withPanel(
      timeseries('Answers by outcome', 'Accepted, answered sold out or duplicate without the log, refused (validation, window, rate limit), 503 by cause.', 'reqps', [
        { expr: 'sum by (outcome) (rate(fcfs_api_ingest_outcomes_total[$__rate_interval]))', legend: '{{outcome}}' },
      ]),
    )
    .withPanel(
      timeseries('Participation latency', 'p50, p95 and p99 of POST /participation.', 's', [
        { expr: quantile(0.5, 'fcfs_http_request_duration_seconds', PARTICIPATION), legend: 'p50' },
        { expr: quantile(0.95, 'fcfs_http_request_duration_seconds', PARTICIPATION), legend: 'p95' },
        { expr: quantile(0.99, 'fcfs_http_request_duration_seconds', PARTICIPATION), legend: 'p99' },
      ]),
    )
    .withRow(new RowBuilder('The log'))
    .withPanel(stat('Backlog', 'Accepted, not yet decided (log end − stored offset).', 'short', { expr: 'sum(fcfs_consumer_lag)' }))
    .withPanel(stat('Drains in', 'Backlog divided by the current decision rate.', 's', {
      expr: 'sum(fcfs_consumer_lag) / clamp_min(sum(rate(fcfs_consumer_decisions_total[1m])), 1)',
    }))
    .withPanel(stat('Decided/s', 'Decisions committed per second.', 'ops', { expr: 'sum(rate(fcfs_consumer_decisions_total[1m]))' }))
    .withPanel(stat('Accept → decision p99', 'Time from the 202 to the committed verdict, p99 over the last minute.', 's', {
      expr: 'histogram_quantile(0.99, sum by (le) (rate(fcfs_consumer_decision_delay_seconds_bucket[1m])))',
    }))
    .withPanel(timeseries('Decisions by verdict', 'SUCCESS, SOLD_OUT and DUPLICATE committed per second.', 'ops', [
      { expr: 'sum by (verdict) (rate(fcfs_consumer_decisions_total[$__rate_interval]))', legend: '{{verdict}}' },
    ]))
    .withPanel(timeseries('Backlog', 'The log backlog over time: it should rise with the rush and drain right after.', 'short', [
      { expr: 'sum(fcfs_consumer_lag)', legend: 'backlog' },
    ]))
    .withRow(new RowBuilder('Campaigns'))
    .withPanel(barGauge('Stock left', 'Remaining stock of each open campaign.', 'short', { expr: 'max by (campaign_id) (fcfs_campaign_remaining_stock)', legend: 'campaign {{campaign_id}}' }))
    .withPanel(timeseries('Winners', 'Winners of each open campaign over time.', 'short', [
      { expr: 'max by (campaign_id) (fcfs_campaign_winners)', legend: 'campaign {{campaign_id}}' },
    ]))
    .withRow(new RowBuilder('Anything wrong?'))
    .withPanel(stat('Alerts firing', 'Alerts of this system firing now.', 'short', { expr: 'count(ALERTS{alertstate="firing", alertname=~"Fcfs.*"}) or vector(0)' }))
    .withPanel(stat('Consumer stalled', '1 when nothing is decided while entries wait in the log (see the consumer /readyz).', 'short', { expr: 'max(fcfs_consumer_stalled)' }))
    .withPanel(stat('Dead letters (1 h)', 'Entries set aside instead of decided in the last hour.', 'short', { expr: 'sum(increase(fcfs_consumer_dead_letters_total[1h]))' }))
    .withPanel(stat('Consumers up', 'Consumer processes scraped successfully (exactly 1 expected).', 'short', { expr: 'sum(up{component="consumer"})' }))
    .build();
}
