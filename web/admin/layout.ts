// The admin's page shell: head, navigation, sign-out form (with its CSRF token) and the stylesheet.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AdminSession } from './sessions.port.ts';

/** Rendered markup, as hono/html produces it. */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The navigation, in order; later pages add their entry here. */
export const NAV: { href: string; label: string }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/steps', label: 'Steps' },
  { href: '/positions', label: 'Positions' },
  { href: '/accounts', label: 'Accounts' },
  { href: '/symbols', label: 'Symbols' },
  { href: '/regime', label: 'Regime' },
  { href: '/backtests', label: 'Backtests' },
  { href: '/queues', label: 'Queues' },
  { href: '/sql', label: 'SQL' },
  { href: '/commands', label: 'Commands' },
];

/** The stylesheet served at /static/admin.css (no inline styles: the CSP forbids them). Colours are
 * variables: light by default, dark under prefers-color-scheme unless the toggle chose light, and
 * dark whenever the toggle chose dark (admin-theme.js sets data-theme on <html>). */
export const ADMIN_CSS = `:root{color-scheme:light;--bg:#f6f7f9;--fg:#1b1f24;--panel:#fff;--line:#d5d9df;--muted:#6b7480;--head:#1b1f24;--head-fg:#cfd6df;--chip:#e4e7eb;--good:#d8f3dc;--bad:#fde8e8;--busy:#dbeafe;--warn:#fff7e0;--warn-line:#f1d48a;--bad-line:#f3b4b4;--bar:#3b6fb6;--up:#137333;--down:#c5221f;--focus:#fff1a8;--pre:#f0f2f5;--link:#1a56b8;--accent:#3b6fb6}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){color-scheme:dark;--bg:#0f1216;--fg:#e3e7ec;--panel:#171b21;--line:#2c333d;--muted:#8d97a5;--head:#07090c;--head-fg:#b6c0cc;--chip:#262c35;--good:#12361e;--bad:#43191b;--busy:#152a4a;--warn:#3a2f10;--warn-line:#6b5718;--bad-line:#6b2a2d;--bar:#6d9be0;--up:#5fd38a;--down:#ff7b72;--focus:#4a4212;--pre:#1d232b;--link:#8ab4f8;--accent:#6d9be0}}
:root[data-theme=dark]{color-scheme:dark;--bg:#0f1216;--fg:#e3e7ec;--panel:#171b21;--line:#2c333d;--muted:#8d97a5;--head:#07090c;--head-fg:#b6c0cc;--chip:#262c35;--good:#12361e;--bad:#43191b;--busy:#152a4a;--warn:#3a2f10;--warn-line:#6b5718;--bad-line:#6b2a2d;--bar:#6d9be0;--up:#5fd38a;--down:#ff7b72;--focus:#4a4212;--pre:#1d232b;--link:#8ab4f8;--accent:#6d9be0}
*{box-sizing:border-box}
body{font:14px system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
header{display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:center;padding:.6rem 1.5rem;background:var(--head);color:#fff}
header nav{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
header a{color:var(--head-fg);text-decoration:none}header a.on{color:#fff;font-weight:600}
header .end{margin-left:auto;display:flex;gap:.6rem;align-items:center}header .who{color:#9aa4b1}
.nav-toggle{position:absolute;opacity:0;pointer-events:none}.nav-label{display:none;cursor:pointer;border:1px solid #4a525e;padding:.1rem .6rem;border-radius:.3rem}
main{padding:1.5rem;max-width:80rem}
table{border-collapse:collapse;background:var(--panel);display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;white-space:pre-wrap}
td.num,.money{font-variant-numeric:tabular-nums;white-space:nowrap}.money.up{color:var(--up)}.money.down{color:var(--down)}
td.null{color:var(--muted);font-style:italic}
textarea{width:100%;min-height:8rem;font:13px ui-monospace,monospace}
input,textarea,select,button{max-width:100%}
.error{background:var(--bad);border:1px solid var(--bad-line);padding:.6rem 1rem}
.notice{background:var(--warn);border:1px solid var(--warn-line);padding:.6rem 1rem}
.login{max-width:22rem;margin:4rem auto;background:var(--panel);padding:1.5rem;border:1px solid var(--line)}
.login label{display:block;margin:.6rem 0}.login input{width:100%}
.muted{color:var(--muted)}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(30rem,100%),1fr));gap:1rem}
.panel{background:var(--panel);border:1px solid var(--line);padding:.4rem 1rem 1rem;min-width:0}.panel h2{font-size:1rem}.panel.wide{grid-column:1/-1}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:12px;background:var(--chip)}
.badge.good{background:var(--good)}.badge.bad{background:var(--bad)}.badge.busy{background:var(--busy)}
.chart{margin:.4rem 0}.chart figcaption{color:var(--muted);font-size:12px}.lwc{width:100%;height:220px;min-width:0;border:1px solid var(--line);background:var(--panel)}.lwc.short{height:140px}.lwc.tall{height:380px}
.lane-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(20rem,100%),1fr));gap:.5rem 1rem}.lane-charts h3{font-size:.9rem;margin:.6rem 0 0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}form.filters label{display:flex;flex-direction:column;font-size:12px}
ul.tree{list-style:none;padding-left:1.2rem;border-left:1px dashed var(--line)}ul.tree>li{margin:.3rem 0}
.block-index{color:var(--muted);font-size:12px}.parallel{border-left:3px solid var(--bar);padding-left:.4rem}
pre{background:var(--pre);padding:.5rem;overflow:auto;max-width:100%;white-space:pre-wrap}code{overflow-wrap:anywhere}
.drift{background:var(--warn)}form.inline{display:inline}ul.tree li.focus>a{font-weight:700;background:var(--focus)}
button.danger{background:var(--down);color:#fff;border:1px solid var(--down);border-radius:.25rem;padding:.15rem .6rem;cursor:pointer}
.confirm{max-width:40rem;border-color:var(--down)}
table.figures th{font-weight:400;color:var(--muted)}
.theme-toggle{background:none;border:1px solid #4a525e;color:var(--head-fg);border-radius:.3rem;cursor:pointer}
@media (max-width:700px){header{padding:.5rem .8rem}.nav-label{display:inline-block}header nav{display:none;width:100%;flex-direction:column}.nav-toggle:checked~nav{display:flex}
header .end{margin-left:0;width:100%;justify-content:space-between}main{padding:.8rem}h1{font-size:1.3rem;overflow-wrap:anywhere}}
`;

/** Which panel a page belongs to: its name and navigation (the admin's by default; the console has its own). */
export interface Shell {
  name: string;
  nav: { href: string; label: string }[];
}

/** The operator admin's shell. */
export const ADMIN_SHELL: Shell = { name: 'Kraite admin', nav: NAV };

/** What a page shows. */
export interface PageOptions {
  title: string;
  /** The signed-in operator; absent on the login page. */
  session?: AdminSession;
  /** Which navigation entry is current. */
  current?: string;
  body: Markup;
  /** Keep `<main>` current over Server-Sent Events (/live/events) with the admin-live.js script. */
  live?: boolean;
  /** Default: the admin's. */
  shell?: Shell;
  /** Extra stylesheets, after the app's own (the shared web/assets ui.css). */
  styles?: string[];
  /** Scripts run before the body is drawn (the theme, so a dark page never flashes light). */
  headScripts?: string[];
  /** Deferred scripts, run in order once the page is parsed (charts, live updates). */
  scripts?: string[];
  /** Markup at the end of the header (the theme toggle). */
  headerEnd?: Markup;
}

/** A full HTML document around `body`. */
export function page(options: PageOptions): Markup {
  const { session } = options;
  const shell = options.shell ?? ADMIN_SHELL;
  // The menu collapses on a phone behind a checkbox (works without script).
  const nav = session
    ? html`<header><strong>${shell.name}</strong><input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="menu"><label for="nav-toggle" class="nav-label">Menu</label>
<nav>${shell.nav.map((n) => html`<a href="${n.href}"${n.href === options.current ? html` class="on"` : ''}>${n.label}</a>`)}</nav>
<div class="end">${shell === ADMIN_SHELL ? html`<button type="button" class="theme-toggle" hidden>Theme</button>` : ''}<form method="post" action="/logout"><span class="who">${session.username}</span> <input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">Sign out</button></form>${options.headerEnd ?? ''}</div></header>`
    : '';
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">
<title>${options.title} — ${shell.name}</title><link rel="stylesheet" href="/static/admin.css">${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
${shell === ADMIN_SHELL ? html`<script src="/static/admin-theme.js"></script>` : ''}${(options.headScripts ?? []).map((src) => html`<script src="${src}"></script>`)}${options.live ? html`<script src="/static/admin-live.js" defer></script>` : ''}${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}</head>
<body${options.live ? html` data-live="/live/events"` : ''}>${nav}<main>${options.body}</main></body></html>`;
}
