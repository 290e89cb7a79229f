// The admin's two small client scripts, served from /static (scripts from self only: the CSP
// forbids inline script). Kept as text here so the admin app stays runtime-neutral (Node or Workers).

/** admin-theme.js: applies the stored theme before paint and wires the header's toggle (auto → dark → light); charts redraw in the new colours on `kraite:theme`. */
export const ADMIN_THEME_JS = `(function () {
  var key = 'kraite-admin-theme';
  var root = document.documentElement;
  function apply(t) { if (t === 'dark' || t === 'light') root.setAttribute('data-theme', t); else root.removeAttribute('data-theme'); }
  var stored = null;
  try { stored = localStorage.getItem(key); } catch (e) {}
  apply(stored);
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('.theme-toggle');
    if (!button) return;
    function label() { var t = root.getAttribute('data-theme') || 'auto'; button.textContent = 'Theme: ' + t; }
    button.hidden = false;
    label();
    button.addEventListener('click', function () {
      var t = root.getAttribute('data-theme');
      var next = t === null ? 'dark' : t === 'dark' ? 'light' : null;
      apply(next);
      try { if (next) localStorage.setItem(key, next); else localStorage.removeItem(key); } catch (e) {}
      label();
      document.dispatchEvent(new Event('kraite:theme'));
    });
  });
})();
`;

/** admin-live.js: listens to /live/events and, on a change, fetches the page again and swaps its <main> (not while a field in it has focus), then draws its charts. */
export const ADMIN_LIVE_JS = `(function () {
  var url = document.body.getAttribute('data-live');
  if (!url || !window.EventSource) return;
  var busy = false, again = false;
  function swap() {
    if (busy) { again = true; return; }
    var main = document.querySelector('main');
    if (main && main.contains(document.activeElement) && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'x-kraite-live': '1' } }).then(function (r) { return r.ok ? r.text() : null; }).then(function (text) {
      if (!text) return;
      var next = new DOMParser().parseFromString(text, 'text/html').querySelector('main');
      if (next && main) { main.innerHTML = next.innerHTML; if (window.kraiteCharts) window.kraiteCharts(); document.body.setAttribute('data-live-at', String(Date.now())); }
    }).catch(function () {}).then(function () { busy = false; if (again) { again = false; setTimeout(swap, 250); } });
  }
  var source = new EventSource(url);
  source.addEventListener('hello', function () { document.body.setAttribute('data-live-state', 'open'); });
  source.addEventListener('change', swap);
  source.addEventListener('error', function () { document.body.setAttribute('data-live-state', 'reconnecting'); });
})();
`;
