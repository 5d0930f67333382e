import { call, errorText } from '../api.js';
import { timeChart, type TimeChart } from '../chart.js';
import { field, h, replace, say, statusLine, table } from '../dom.js';
import { formatCount, localDate } from '../format.js';
import type { DailyAnswer, DayStats, SeriesAnswer } from '../types.js';

const COLUMNS = ['Campaign', 'Requests', 'Winners', 'Sold out', 'Duplicates', 'Users', 'Success rate'];

function rows(stats: readonly DayStats[]) {
  return stats.map((s) => [
    `${s.campaignName} (${s.campaignId})`,
    formatCount(s.totalParticipations),
    formatCount(s.successCount),
    formatCount(s.soldOutCount),
    formatCount(s.duplicateCount),
    formatCount(s.uniqueUsers),
    s.successRate,
  ]);
}

/** The figures both methods report, compared: the aggregated table is only right if they agree. */
function sameNumbers(a: readonly DayStats[], b: readonly DayStats[]): boolean {
  const key = (s: DayStats) => [s.campaignId, s.totalParticipations, s.successCount, s.soldOutCount, s.duplicateCount, s.uniqueUsers].join(':');
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}

function dailyComparison(): HTMLElement {
  const date = h('input', { type: 'date', name: 'date', value: localDate(new Date(), -1) });
  const out = h('div', { class: 'comparison' });
  const line = statusLine();
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'daily-heading' },
    h('h2', { id: 'daily-heading' }, 'One day: aggregated table against the raw query'),
    h('div', { class: 'fields' }, field('stats-date', 'Day', date)),
    h('button', { type: 'submit' }, 'Compare'),
    line,
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    say(line, 'Querying…');
    const q = `date=${encodeURIComponent(date.value)}`;
    Promise.all([call<DailyAnswer>(`api/admin/stats/daily?${q}`), call<DailyAnswer>(`api/admin/stats/raw?${q}`)]).then(
      ([{ data: aggregated }, { data: raw }]) => {
        const agree = sameNumbers(aggregated.stats, raw.stats);
        say(line, agree ? 'Both methods give the same numbers.' : 'The methods differ: the day may not be aggregated yet, or has changed since.', agree ? 'ok' : 'error');
        replace(
          out,
          h(
            'div',
            { class: 'columns' },
            h('section', { 'data-method': 'aggregated' }, h('h3', {}, 'Aggregated table'), h('p', { class: 'query-time' }, `Query time ${aggregated.queryTimeMs} ms`), table(`Aggregated statistics of ${aggregated.date}`, COLUMNS, rows(aggregated.stats), 'No aggregated rows for this day.')),
            h('section', { 'data-method': 'raw' }, h('h3', {}, 'Raw query'), h('p', { class: 'query-time' }, `Query time ${raw.queryTimeMs} ms`), table(`Raw statistics of ${raw.date}`, COLUMNS, rows(raw.stats), 'No history for this day.')),
          ),
          h('p', { class: 'hint' }, `Days in ${aggregated.timeZone}.`),
        );
      },
      (err: unknown) => say(line, errorText(err), 'error'),
    );
  });
  return form;
}

function seriesChart(): { element: HTMLElement; destroy: () => void } {
  const campaign = h('input', { type: 'number', name: 'campaignId', min: 1, inputmode: 'numeric' });
  const from = h('input', { type: 'date', name: 'startDate', value: localDate(new Date(), -29) });
  const to = h('input', { type: 'date', name: 'endDate', value: localDate(new Date()) });
  const line = statusLine();
  let chart: TimeChart | undefined;
  const holder = h('div');
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'series-heading' },
    h('h2', { id: 'series-heading' }, 'One campaign, day by day'),
    h('div', { class: 'fields' }, field('series-campaign', 'Campaign id', campaign), field('series-from', 'From', from), field('series-to', 'To', to)),
    h('button', { type: 'submit' }, 'Show'),
    line,
    holder,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    say(line, 'Querying…');
    const q = `startDate=${encodeURIComponent(from.value)}&endDate=${encodeURIComponent(to.value)}`;
    call<SeriesAnswer>(`api/admin/stats/campaign/${encodeURIComponent(campaign.value)}?${q}`).then(
      ({ data }) => {
        say(line, `${data.days.length} aggregated ${data.days.length === 1 ? 'day' : 'days'} from ${data.startDate} to ${data.endDate} (query time ${data.queryTimeMs} ms).`);
        chart?.destroy();
        chart = timeChart(`Requests and winners per day of campaign ${data.campaignId}`, [
          { label: 'Requests', stroke: '#0b5394' },
          { label: 'Winners', stroke: '#b45309' },
        ], { days: true });
        replace(holder, chart.element);
        const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
        chart.setData(
          data.days.map((d) => day(d.date)),
          [data.days.map((d) => d.totalParticipations), data.days.map((d) => d.successCount)],
          [day(data.startDate), day(data.endDate)],
        );
      },
      (err: unknown) => say(line, errorText(err), 'error'),
    );
  });
  return { element: form, destroy: () => chart?.destroy() };
}

export function statsView(main: HTMLElement): () => void {
  const series = seriesChart();
  replace(main, h('h1', { tabindex: -1 }, 'Statistics'), h('section', {}, dailyComparison()), h('section', {}, series.element));
  return series.destroy;
}
