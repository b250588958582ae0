// Cross-origin isolation on hosts that cannot send headers (GitHub Pages, Read the Docs, …).
// The service worker is npm's coi-serviceworker (pinned in package.json, copied into dist/ by
// Trunk): it adds COOP/COEP to every response of this site. This page-side part replaces the
// package's own registration script because the app must (1) wait for the decision before it
// starts, instead of loading twice, (2) say in words what happened (kitchen.env().isolation and
// the environment panel), including a refused service worker, and (3) never reload more than
// once in a row. `window.kitchenIsolation` resolves with that sentence, or never when the page
// is about to reload.
(() => {
  let settle;
  window.kitchenIsolation = new Promise((resolve) => { settle = resolve; });
  const sw = navigator.serviceWorker;
  const KEY = 'kitchen-isolation-reloaded-at';
  const storage = (() => { try { return window.sessionStorage; } catch { return null; } })();
  if (window.crossOriginIsolated) {
    return settle(sw && sw.controller ? 'isolated by this site\'s service worker, which adds the headers'
      : 'isolated by the headers the server sends');
  }
  if (window.top !== window) {
    return settle('not isolated: an embedded page is isolated only when the page around it is isolated too, ' +
      'or by its own Document-Isolation-Policy header where the browser supports it (Chromium); a service worker cannot change that');
  }
  if (!window.isSecureContext) {
    return settle('not isolated: the server sends no COOP/COEP headers, and a service worker could add them only over HTTPS or on localhost');
  }
  if (!sw) {
    return settle('not isolated: the server sends no COOP/COEP headers, and this browser offers no service worker here (private browsing?)');
  }
  // The loop guard: one reload per minute at most, in this tab.
  const reloadedAt = Number(storage?.getItem(KEY) ?? 0);
  if (Date.now() - reloadedAt < 60_000) {
    return settle('not isolated: the page was reloaded for the service worker, and the browser still did not isolate it; not trying again');
  }
  if (!storage) {
    return settle('not isolated: no session storage here to guard against reload loops, so the service worker is not used');
  }
  const reload = () => { storage.setItem(KEY, String(Date.now())); window.location.reload(); };
  const giveUp = setTimeout(() => settle('not isolated: the service worker did not take control within 10 s'), 10_000);
  sw.addEventListener('controllerchange', () => { clearTimeout(giveUp); reload(); });
  sw.register(new URL('coi-serviceworker.min.js', document.baseURI)).then(
    () => { if (sw.controller) { clearTimeout(giveUp); reload(); } },
    (e) => { clearTimeout(giveUp); settle(`not isolated: the service worker was refused (${e && e.message || e})`); },
  );
})();
