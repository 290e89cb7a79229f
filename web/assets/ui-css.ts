// The shared look of the console and the admin on top of their own stylesheet: colours as
// variables (light, dark by prefers-color-scheme, or the persisted toggle), money figures, charts,
// and phone layouts where nothing but a table's own box scrolls sideways.

/** The stylesheet served at /static/ui.css (after the app's own, so it wins). */
export const UI_CSS = `:root{--bg:#f6f7f9;--fg:#1b1f24;--panel:#fff;--line:#d5d9df;--muted:#6b7480;--up:#137333;--down:#c5221f;--head:#1b1f24;--badge:#e4e7eb;--accent:#3b6fb6;color-scheme:light}
:root[data-theme=dark]{--bg:#0f1216;--fg:#e3e7ec;--panel:#171b21;--line:#2c333c;--muted:#8b95a1;--up:#4cc38a;--down:#f2777a;--head:#07090b;--badge:#2a3038;--accent:#6d9be0;color-scheme:dark}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0f1216;--fg:#e3e7ec;--panel:#171b21;--line:#2c333c;--muted:#8b95a1;--up:#4cc38a;--down:#f2777a;--head:#07090b;--badge:#2a3038;--accent:#6d9be0;color-scheme:dark}}
body{background:var(--bg);color:var(--fg);overflow-wrap:anywhere}header{background:var(--head);flex-wrap:wrap;gap:.4rem 1.2rem;padding:.6rem 1rem}
a{color:var(--accent)}header a{color:#cfd6df}
table{background:var(--panel);display:block;max-width:100%;overflow-x:auto;width:max-content}td,th{border-color:var(--line);overflow-wrap:normal}table.positions td,table.positions th{white-space:nowrap}figure.chart{margin:0}
.panel,.login{background:var(--panel);border-color:var(--line)}.muted,.chart figcaption{color:var(--muted)}.badge{background:var(--badge)}
.badge.good{background:#1e7a4633}.badge.bad{background:#c5221f33}.badge.busy{background:#3b6fb633}
.error{background:#c5221f22;border-color:#c5221f66}.notice{background:#f1d48a33;border-color:#f1d48a88}pre{background:var(--badge)}
main{padding:1rem;box-sizing:border-box;max-width:80rem}.grid{grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr))}
.num,.money{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}.up{color:var(--up)}.down{color:var(--down)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(11rem,100%),1fr));gap:.6rem;margin:.6rem 0 1rem}
.card{background:var(--panel);border:1px solid var(--line);padding:.5rem .8rem;min-width:0}.card b.num,.card .money{white-space:normal}.card b{font-size:1.15rem}.card b{display:block;font-size:1.25rem;font-variant-numeric:tabular-nums}.card small{color:var(--muted)}
.lwc{width:100%;height:260px;min-width:0;border:1px solid var(--line);background:var(--panel)}.lwc.tall{height:380px}
.live-status{font-size:12px;color:var(--muted)}.theme-toggle{background:none;border:1px solid #4a525c;color:#cfd6df;border-radius:.3rem;cursor:pointer}
tr.totals td{font-weight:600;border-top:2px solid var(--fg)}input,select,button{font:inherit;max-width:100%}
form.settings label{display:block;margin:.5rem 0}form.settings .field-error{color:var(--down);display:block;font-size:12px}
.preview{background:var(--panel);border:1px solid var(--line);padding:.5rem 1rem;margin:1rem 0}
@media (max-width:640px){header strong{width:100%}main{padding:.6rem}h1{font-size:1.3rem}.lwc{height:220px}.lwc.tall{height:300px}}
`;
