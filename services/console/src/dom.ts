/** A small element builder: the page has no framework, so this keeps views declarative enough to read. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A definition list of label/value pairs; values carry a data-key so tests and styles can find them. */
export function facts(pairs: readonly (readonly [key: string, label: string, value: Child])[]): HTMLDListElement {
  return h('dl', { class: 'facts' }, ...pairs.map(([key, label, value]) => h('div', { 'data-key': key }, h('dt', {}, label), h('dd', {}, value))));
}

/** A table in a scroll box of its own, so a wide table never makes the whole page scroll sideways. */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Child[])[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  );
}

export function field(id: string, label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  input.id = id;
  const errorId = `${id}-error`;
  const described = hint ? `${id}-hint ${errorId}` : errorId;
  input.setAttribute('aria-describedby', described);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('span', { id: `${id}-hint`, class: 'hint' }, hint) : null,
    input,
    h('span', { id: errorId, class: 'field-error', 'data-error-for': input.name }),
  );
}

/** Shows the problems next to their inputs (or clears them) and marks the inputs invalid for assistive tech. */
export function showFieldProblems(form: HTMLFormElement, byField: ReadonlyMap<string, readonly string[]>): void {
  for (const slot of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
    const name = slot.dataset.errorFor ?? '';
    const problems = byField.get(name);
    slot.textContent = problems ? problems.join('; ') : '';
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement || input instanceof HTMLSelectElement) {
      if (problems) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }
  const first = [...byField.keys()][0];
  const target = first === undefined ? null : form.elements.namedItem(first);
  if (target instanceof HTMLElement) target.focus();
}

/** A polite live region for the outcome of an action. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { role: 'status', class: 'status-line' });
}

export function say(line: HTMLElement, text: string, kind: 'ok' | 'error' = 'ok'): void {
  line.textContent = text;
  line.classList.toggle('error', kind === 'error');
}
