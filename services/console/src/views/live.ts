import { call, errorText } from '../api.js';
import { timeChart } from '../chart.js';
import { facts, field, h, replace, say, statusLine } from '../dom.js';
import { formatCount, formatDuration, formatRate, formatTime } from '../format.js';
import { appendBounded, projectedSellOutSec, ratesOver, sellOut, sellOutBounds, type StatusSample } from '../live-metrics.js';
import type { Campaign, CampaignStatus, Lookup } from '../types.js';

/** Two reads a second: the view is never more than half a second behind, and the status read is one primary-key lookup. */
const POLL_MS = 500;
const RATE_WINDOW_MS = 2_000;
const PROJECTION_WINDOW_MS = 5_000;
/** Ten minutes of samples for the burn-down chart. */
const MAX_SAMPLES = 1_200;

function lookupBox(campaignId: number): HTMLElement {
  const kind = h('select', { name: 'kind' }, h('option', { value: 'user' }, 'User id'), h('option', { value: 'request' }, 'Request id'));
  const value = h('input', { type: 'text', name: 'value', autocomplete: 'off', spellcheck: 'false' });
  const result = h('div', { class: 'lookup-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'lookup-heading' },
    h('h2', { id: 'lookup-heading' }, 'Look up a user or request'),
    h('div', { class: 'fields' }, field('lookup-kind', 'Look up by', kind), field('lookup-value', 'Id', value)),
    h('button', { type: 'submit' }, 'Look up'),
    result,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = value.value.trim();
    const path = kind.value === 'user' ? `api/campaigns/${campaignId}/participations/${encodeURIComponent(id)}` : `api/participations/${encodeURIComponent(id)}`;
    replace(result, 'Looking up…');
    call<Lookup>(path).then(
      ({ data, message }) =>
        replace(
          result,
          facts([
            ['status', 'Answer', h('strong', {}, data.status)],
            ['message', 'Meaning', message],
            ['user', 'User', data.userId === undefined ? '' : String(data.userId)],
            ['request', 'Request id', data.requestId ?? ''],
            ['sequence', 'Log position', data.sequence === undefined ? '' : String(data.sequence)],
            ['decided', 'Decided at', formatTime(data.decidedAt ?? data.refusedAt ?? null)],
            ['reason', 'Reason', data.reasonCode ? `${data.reasonCode}: ${data.reason ?? ''}` : ''],
            ['attempts', 'Attempts', data.attempts === undefined ? '' : String(data.attempts)],
          ]),
        ),
      (err: unknown) => replace(result, h('p', { class: 'error' }, errorText(err))),
    );
  });
  return form;
}

export function liveView(campaignId: number): (main: HTMLElement) => () => void {
  return (main) => {
    let samples: StatusSample[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const heading = h('h1', { tabindex: -1 }, `Campaign ${campaignId}`);
    const campaignWindow = h('p', { class: 'window' });
    const numbers = h('div', { class: 'live-numbers' });
    const updated = h('p', { class: 'updated' });
    const announce = statusLine();
    const chart = timeChart(`Remaining stock of campaign ${campaignId} over time`, [{ label: 'Remaining stock', stroke: '#0b5394' }]);

    const render = () => {
      const last = samples.at(-1);
      if (last === undefined) return;
      const rates = ratesOver(samples, RATE_WINDOW_MS);
      const sold = sellOut(samples);
      const projected = projectedSellOutSec(samples, PROJECTION_WINDOW_MS);
      let sellOutText = 'not started';
      const bounds = sold ? sellOutBounds(sold) : null;
      if (bounds) {
        if (bounds.atMostMs === null) sellOutText = `at least ${formatDuration(bounds.atLeastMs)}`;
        else if (bounds.atLeastMs === 0) sellOutText = `under ${formatDuration(bounds.atMostMs)}`;
        else sellOutText = `${formatDuration(bounds.atLeastMs)} to ${formatDuration(bounds.atMostMs)}`;
      } else if (last.currentStock === 0) {
        sellOutText = 'sold out before this view opened';
      } else if (projected !== null) {
        sellOutText = `about ${formatDuration(projected * 1000)} to go`;
      } else if (sold) {
        sellOutText = 'selling';
      }
      replace(
        numbers,
        facts([
          ['remaining', 'Remaining stock', `${formatCount(last.currentStock)} of ${formatCount(last.totalStock)}`],
          ['winners', 'Winners', formatCount(last.successCount)],
          ['sold-out', 'Sold-out answers', formatCount(last.soldOutCount)],
          ['duplicates', 'Duplicates', formatCount(last.duplicateCount)],
          ['pending', 'Pending', formatCount(last.pending)],
          ['accepted-rate', 'Accepted', formatRate(rates.acceptedPerSec)],
          ['decided-rate', 'Decided', formatRate(rates.decidedPerSec)],
          ['sell-out', 'Time to sell out', sellOutText],
        ]),
      );
      chart.setData(samples.map((s) => s.at / 1000), [samples.map((s) => s.currentStock)]);
      say(updated, `Updated ${new Date(last.at).toLocaleTimeString('en-GB', { hour12: false })}`);
    };

    const poll = async () => {
      const started = Date.now();
      try {
        const { data } = await call<CampaignStatus>(`api/campaigns/${campaignId}/status`);
        const wasSoldOut = samples.at(-1)?.currentStock === 0;
        samples = appendBounded(samples, { ...data, at: Date.now() }, MAX_SAMPLES);
        heading.textContent = `${data.campaignName} (campaign ${campaignId})`;
        if (!wasSoldOut && data.currentStock === 0 && data.totalStock > 0) say(announce, 'Sold out.');
        render();
      } catch (err) {
        if (stopped) return;
        say(updated, `Not updated: ${errorText(err)}`, 'error');
      }
      // Start to start, one read in flight at most: slow answers under load lower the rate only as far as they must.
      if (!stopped) timer = setTimeout(() => void poll(), Math.max(0, POLL_MS - (Date.now() - started)));
    };

    replace(
      main,
      h('p', {}, h('a', { href: '#/' }, '← All campaigns')),
      heading,
      campaignWindow,
      announce,
      h('section', { 'aria-label': 'Live figures' }, numbers, updated),
      h('section', { 'aria-labelledby': 'burn-heading' }, h('h2', { id: 'burn-heading' }, 'Burn-down'), chart.element),
      h('section', {}, lookupBox(campaignId)),
    );
    call<Campaign>(`api/admin/campaigns/${campaignId}`).then(
      ({ data }) => {
        const opens = data.startsAt ? `opens ${formatTime(data.startsAt)}` : 'open from creation';
        const closes = data.endsAt ? `closes ${formatTime(data.endsAt)}` : 'no closing time';
        campaignWindow.textContent = `Window: ${opens}, ${closes}. Phase when this view opened: ${data.status.replace('_', ' ')}.`;
      },
      (err: unknown) => {
        if (!stopped) campaignWindow.textContent = errorText(err);
      },
    );
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      chart.destroy();
    };
  };
}
