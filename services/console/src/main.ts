import './styles.css';
import { adminToken, setAdminToken } from './api.js';
import { h, replace } from './dom.js';
import { campaignsView } from './views/campaigns.js';
import { liveView } from './views/live.js';
import { opsView } from './views/ops.js';
import { statsView } from './views/stats.js';

/** A view renders into the main element and returns what stops its timers when the reader leaves. */
export type View = (main: HTMLElement) => () => void;

interface Route {
  readonly nav: string;
  readonly view: View;
}

function route(hash: string): Route {
  const live = /^#\/campaigns\/([1-9][0-9]{0,15})$/.exec(hash);
  if (live?.[1] !== undefined) return { nav: 'campaigns', view: liveView(Number(live[1])) };
  if (hash === '#/stats') return { nav: 'stats', view: statsView };
  if (hash === '#/operations') return { nav: 'operations', view: opsView };
  return { nav: 'campaigns', view: campaignsView };
}

function tokenForm(): HTMLElement {
  const input = h('input', { type: 'password', name: 'token', id: 'admin-token', autocomplete: 'off', spellcheck: 'false' });
  const state = h('span', { class: 'token-state', role: 'status' });
  const show = () => {
    state.textContent = adminToken() === null ? 'No admin token set' : 'Admin token set for this tab';
  };
  const forget = h('button', { type: 'button', class: 'secondary', onclick: () => {
    setAdminToken(null);
    show();
  } }, 'Forget');
  const form = h(
    'form',
    { class: 'token-form', onsubmit: (e: Event) => {
      e.preventDefault();
      setAdminToken(input.value.trim());
      input.value = '';
      show();
      // Views loaded without the token show why they are empty; load them again with it.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } },
    h('label', { for: 'admin-token' }, 'Admin token'),
    input,
    h('button', { type: 'submit' }, 'Use token'),
    forget,
    state,
  );
  show();
  return form;
}

function start(): void {
  const main = h('main', { id: 'main', tabindex: -1 });
  const navItems = [['campaigns', 'Campaigns', '#/'], ['stats', 'Statistics', '#/stats'], ['operations', 'Operations', '#/operations']] as const;
  const nav = h('nav', { 'aria-label': 'Sections' }, h('ul', {}, ...navItems.map(([key, label, href]) => h('li', {}, h('a', { href, 'data-nav': key }, label)))));
  const header = h('header', {}, h('a', { class: 'skip', href: '#main', onclick: (e: Event) => {
    e.preventDefault();
    main.focus();
  } }, 'Skip to content'), h('p', { class: 'brand' }, 'Campaign console'), nav, tokenForm());
  replace(document.body, header, main);

  let stop: () => void = () => undefined;
  const render = () => {
    stop();
    const { nav: current, view } = route(location.hash);
    for (const a of nav.querySelectorAll<HTMLAnchorElement>('a[data-nav]')) {
      if (a.dataset.nav === current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    main.replaceChildren();
    stop = view(main);
    // Move focus to the new view's heading so keyboard and screen reader users land on it.
    main.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  };
  window.addEventListener('hashchange', render);
  render();
}

start();
