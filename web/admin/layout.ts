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
  { href: '/queues', label: 'Queues' },
  { href: '/sql', label: 'SQL' },
  { href: '/commands', label: 'Commands' },
];

/** The stylesheet served at /static/admin.css (no inline styles: the CSP forbids them). */
export const ADMIN_CSS = `body{font:14px system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.5rem;background:#1b1f24;color:#fff}
header a{color:#cfd6df;text-decoration:none}header a.on{color:#fff;font-weight:600}
header form{margin-left:auto}header .who{color:#9aa4b1}
main{padding:1.5rem;max-width:80rem}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #d5d9df;padding:3px 8px;text-align:left;vertical-align:top;white-space:pre-wrap}
td.null{color:#9aa4b1;font-style:italic}
textarea{width:100%;min-height:8rem;font:13px ui-monospace,monospace}
.error{background:#fde8e8;border:1px solid #f3b4b4;padding:.6rem 1rem}
.notice{background:#fff7e0;border:1px solid #f1d48a;padding:.6rem 1rem}
.login{max-width:22rem;margin:4rem auto;background:#fff;padding:1.5rem;border:1px solid #d5d9df}
.login label{display:block;margin:.6rem 0}.login input{width:100%}
.muted{color:#6b7480}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(30rem,1fr));gap:1rem}
.panel{background:#fff;border:1px solid #d5d9df;padding:.4rem 1rem 1rem}.panel h2{font-size:1rem}.panel.wide{grid-column:1/-1}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:12px;background:#e4e7eb}
.badge.good{background:#d8f3dc}.badge.bad{background:#fde8e8}.badge.busy{background:#dbeafe}
.chart svg{background:#f6f7f9;border:1px solid #d5d9df}.chart rect{fill:#3b6fb6}.chart figcaption{color:#6b7480;font-size:12px}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}form.filters label{display:flex;flex-direction:column;font-size:12px}
ul.tree{list-style:none;padding-left:1.2rem;border-left:1px dashed #c3c9d1}ul.tree>li{margin:.3rem 0}
.block-index{color:#6b7480;font-size:12px}.parallel{border-left:3px solid #3b6fb6;padding-left:.4rem}
pre{background:#f0f2f5;padding:.5rem;overflow:auto;max-width:100%;white-space:pre-wrap}
.drift{background:#fff7e0}form.inline{display:inline}ul.tree li.focus>a{font-weight:700;background:#fff1a8}
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
  /** Reload the page every this many seconds (the dashboard's auto-refresh; no script needed). */
  refreshSeconds?: number;
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
  const nav = session
    ? html`<header><strong>${shell.name}</strong>${shell.nav.map((n) => html`<a href="${n.href}"${n.href === options.current ? html` class="on"` : ''}>${n.label}</a>`)}
<form method="post" action="/logout"><span class="who">${session.username}</span> <input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">Sign out</button></form>${options.headerEnd ?? ''}</header>`
    : '';
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title} — ${shell.name}</title>${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}<link rel="stylesheet" href="/static/admin.css">${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
${(options.headScripts ?? []).map((src) => html`<script src="${src}"></script>`)}${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}</head>
<body>${nav}<main>${options.body}</main></body></html>`;
}
