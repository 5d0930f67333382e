import { DashboardBuilder, DatasourceVariableBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel reads the Prometheus chosen in the dashboard's datasource variable. */
const datasource = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

const target = (q: Query, i: number) =>
  new DataqueryBuilder()
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto')
    .refId(String.fromCharCode(65 + i))
    .datasource(datasource);

export function timeseries(title: string, description: string, unit: string, queries: readonly Query[], width = 12): TimeseriesPanel {
  const panel = new TimeseriesPanel().title(title).description(description).unit(unit).datasource(datasource).height(8).span(width).min(0);
  queries.forEach((q, i) => panel.withTarget(target(q, i)));
  return panel;
}

export function stat(title: string, description: string, unit: string, query: Query, width = 6): StatPanel {
  return new StatPanel().title(title).description(description).unit(unit).datasource(datasource).height(4).span(width).withTarget(target(query, 0));
}

export function barGauge(title: string, description: string, unit: string, query: Query, width = 12): BarGaugePanel {
  return new BarGaugePanel().title(title).description(description).unit(unit).datasource(datasource).height(8).span(width).min(0).withTarget(target(query, 0));
}

export function newDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['fcfs-campaign'])
    .refresh('5s')
    .time({ from: 'now-30m', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'));
}

/** The PromQL of every panel of a dashboard, for checks against a real Prometheus. */
export function queriesOf(dashboard: Dashboard): string[] {
  const exprs: string[] = [];
  for (const panel of dashboard.panels ?? []) {
    for (const t of (panel as { targets?: { expr?: unknown }[] }).targets ?? []) if (typeof t.expr === 'string') exprs.push(t.expr);
  }
  return exprs;
}
