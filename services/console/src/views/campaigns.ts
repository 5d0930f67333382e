import { ApiError, call, errorText } from '../api.js';
import { field, h, replace, say, showFieldProblems, statusLine, table } from '../dom.js';
import { placeProblems, problemsOf } from '../form-errors.js';
import { formatCount, formatTime } from '../format.js';
import type { Campaign } from '../types.js';

const PAGE_SIZE = 20;
const INPUTS = ['name', 'totalStock', 'startsAt', 'endsAt'];

/** `datetime-local` has no zone: it is the reader's local time, sent as an absolute instant. */
function instant(value: string): string | null {
  if (value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function createForm(onCreated: (c: Campaign) => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const stock = h('input', { type: 'number', name: 'totalStock', inputmode: 'numeric' });
  const startsAt = h('input', { type: 'datetime-local', name: 'startsAt', step: 1 });
  const endsAt = h('input', { type: 'datetime-local', name: 'endsAt', step: 1 });
  const general = h('div', { class: 'form-problems', 'aria-live': 'polite' });
  const result = statusLine();
  // novalidate: the API's own messages are the ones shown, so that the page and the API never disagree.
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'create-heading' },
    h('h2', { id: 'create-heading' }, 'New campaign'),
    general,
    h(
      'div',
      { class: 'fields' },
      field('campaign-name', 'Name', name),
      field('campaign-stock', 'Stock', stock, 'How many can win'),
      field('campaign-starts', 'Starts (optional)', startsAt, 'Your local time'),
      field('campaign-ends', 'Ends (optional)', endsAt, 'Your local time'),
    ),
    h('button', { type: 'submit' }, 'Create campaign'),
    result,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      name: name.value,
      totalStock: Number.isNaN(stock.valueAsNumber) ? null : stock.valueAsNumber,
      startsAt: instant(startsAt.value),
      endsAt: instant(endsAt.value),
    };
    say(result, 'Creating…');
    call<Campaign>('api/admin/campaigns', { method: 'POST', body }).then(
      ({ data }) => {
        showFieldProblems(form, new Map());
        general.replaceChildren();
        form.reset();
        say(result, `Created campaign ${data.id} (${data.name}).`);
        onCreated(data);
      },
      (err: unknown) => {
        const placed = placeProblems(err instanceof ApiError ? problemsOf(err.data) : [], INPUTS, 'body.');
        const problems = [...placed.general, ...(placed.byField.size === 0 ? [errorText(err)] : [])];
        replace(general, problems.length > 0 ? h('ul', {}, ...problems.map((p) => h('li', {}, p))) : null);
        say(result, placed.byField.size > 0 ? 'Not created: check the marked fields.' : 'Not created.', 'error');
        showFieldProblems(form, placed.byField);
      },
    );
  });
  return form;
}

export function campaignsView(main: HTMLElement): () => void {
  let page = 0;
  const list = h('div', { class: 'list' });
  const pager = h('div', { class: 'pager' });
  const load = async () => {
    try {
      const { data, headers } = await call<Campaign[]>(`api/admin/campaigns?page=${page}&size=${PAGE_SIZE}`);
      const total = Number(headers.get('x-total-count') ?? data.length);
      replace(
        list,
        table(
          'Campaigns, newest first',
          ['Id', 'Name', 'Phase', 'Remaining', 'Starts', 'Ends'],
          data.map((c) => [
            String(c.id),
            h('a', { href: `#/campaigns/${c.id}` }, c.name),
            h('span', { class: `phase phase-${c.status.toLowerCase()}` }, c.status.replace('_', ' ')),
            `${formatCount(c.currentStock)} of ${formatCount(c.totalStock)}`,
            formatTime(c.startsAt),
            formatTime(c.endsAt),
          ]),
          'No campaigns yet.',
        ),
      );
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      replace(
        pager,
        h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => { page -= 1; void load(); } }, 'Newer'),
        h('span', {}, `Page ${page + 1} of ${pages} (${formatCount(total)} campaigns)`),
        h('button', { type: 'button', class: 'secondary', disabled: page + 1 >= pages, onclick: () => { page += 1; void load(); } }, 'Older'),
      );
    } catch (err) {
      replace(list, h('p', { class: 'error', role: 'alert' }, errorText(err)));
      pager.replaceChildren();
    }
  };
  replace(
    main,
    h('h1', { tabindex: -1 }, 'Campaigns'),
    h('div', { class: 'columns' }, h('section', { 'aria-label': 'Campaign list' }, list, pager), h('section', {}, createForm(() => { page = 0; void load(); }))),
  );
  void load();
  return () => undefined;
}
