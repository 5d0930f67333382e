import { call, errorText } from '../api.js';
import { facts, field, h, replace, say, statusLine, table } from '../dom.js';
import { formatDuration, formatTime, localDate } from '../format.js';
import type { DeadLetter, Execution } from '../types.js';

const STATUS_POLL_MS = 500;

function executionRow(e: Execution) {
  return [String(e.executionId), e.date, h('span', { class: `run run-${e.status.toLowerCase()}` }, e.status), formatTime(e.startedAt), e.durationMs === null ? '' : formatDuration(e.durationMs), e.error ?? ''];
}

function aggregation(isStopped: () => boolean): HTMLElement {
  const date = h('input', { type: 'date', name: 'date', value: localDate(new Date(), -1) });
  const line = statusLine();
  const current = h('div', { class: 'execution' });
  const history = h('div');
  const loadHistory = async () => {
    try {
      const { data } = await call<Execution[]>('api/admin/batch/history?size=20');
      replace(history, table('Aggregation runs, newest first', ['Run', 'Day', 'Status', 'Started', 'Took', 'Error'], data.map(executionRow), 'No runs yet.'));
    } catch (err) {
      replace(history, h('p', { class: 'error' }, errorText(err)));
    }
  };
  const follow = async (executionId: number) => {
    try {
      const { data } = await call<Execution>(`api/admin/batch/status/${executionId}`);
      replace(
        current,
        facts([
          ['run', 'Run', String(data.executionId)],
          ['status', 'Status', h('strong', {}, data.status)],
          ['campaigns', 'Campaigns', data.campaigns ? `${data.campaigns.completed} of ${data.campaigns.total} done, ${data.campaigns.failed} failed` : ''],
          ['took', 'Took', data.durationMs === null ? 'running' : formatDuration(data.durationMs)],
        ]),
      );
      if (data.status === 'STARTED') {
        if (!isStopped()) setTimeout(() => void follow(executionId), STATUS_POLL_MS);
        return;
      }
      say(line, `Run ${executionId} of ${data.date} ended ${data.status}.`, data.status === 'COMPLETED' ? 'ok' : 'error');
      await loadHistory();
    } catch (err) {
      say(line, errorText(err), 'error');
    }
  };
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'agg-heading' },
    h('h2', { id: 'agg-heading' }, 'Daily aggregation'),
    h('div', { class: 'fields' }, field('agg-date', 'Day', date)),
    h('button', { type: 'submit' }, 'Run aggregation'),
    line,
    current,
    h('h3', {}, 'Recent runs'),
    history,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    say(line, 'Starting…');
    call<{ executionId: number; date: string }>(`api/admin/batch/aggregate?date=${encodeURIComponent(date.value)}`, { method: 'POST' }).then(
      ({ data }) => {
        say(line, `Run ${data.executionId} of ${data.date} started.`);
        void follow(data.executionId);
      },
      (err: unknown) => say(line, errorText(err), 'error'),
    );
  });
  void loadHistory();
  return form;
}

function deadLetters(): HTMLElement {
  const line = statusLine();
  const list = h('div');
  const load = async () => {
    try {
      const { data, headers } = await call<DeadLetter[]>('api/admin/dlq?size=50');
      const total = headers.get('x-total-count') ?? String(data.length);
      replace(
        list,
        h('p', {}, `${total} dead letters (newest 50 shown).`),
        table(
          'Dead letters, newest first',
          ['Id', 'Reason', 'Request', 'Log position', 'Set aside', 'Replayed', ''],
          data.map((d) => [
            String(d.id),
            h('span', { title: d.reason }, d.reasonCode),
            d.request ? `user ${d.request.userId} in campaign ${d.request.campaignId} (${d.request.requestId})` : 'unreadable',
            `${d.original.partition}:${d.original.offset}`,
            formatTime(d.createdAt),
            formatTime(d.replayedAt),
            d.replayable
              ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Replay dead letter ${d.id}`, onclick: () => replay(d.id) }, 'Replay')
              : h('span', { class: 'hint' }, 'cannot succeed'),
          ]),
          'No dead letters.',
        ),
      );
    } catch (err) {
      replace(list, h('p', { class: 'error' }, errorText(err)));
    }
  };
  const replay = (id: number) => {
    say(line, `Replaying ${id}…`);
    call<{ requestId: string; sequence: number }>(`api/admin/dlq/${id}/replay`, { method: 'POST' }).then(
      async ({ data }) => {
        say(line, `Dead letter ${id} is back on the log as request ${data.requestId} at position ${data.sequence}.`);
        await load();
      },
      (err: unknown) => say(line, errorText(err), 'error'),
    );
  };
  void load();
  return h('div', {}, h('h2', {}, 'Dead letters'), h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh'), line, list);
}

function partitions(): HTMLElement {
  const out = h('p', { 'data-key': 'partitions' }, 'Reading…');
  call<{ topic: string; partitionCount: number }>('api/admin/kafka/partition-count').then(
    ({ data }) => {
      out.textContent = `Topic ${data.topic} has ${data.partitionCount} partition${data.partitionCount === 1 ? '' : 's'}${data.partitionCount === 1 ? ' (one decider, log order).' : ': order holds per partition only.'}`;
    },
    (err: unknown) => {
      out.textContent = errorText(err);
    },
  );
  return h('div', {}, h('h2', {}, 'Participation log'), out);
}

export function opsView(main: HTMLElement): () => void {
  let stopped = false;
  replace(main, h('h1', { tabindex: -1 }, 'Operations'), h('section', {}, partitions()), h('section', {}, aggregation(() => stopped)), h('section', {}, deadLetters()));
  return () => {
    stopped = true;
  };
}
