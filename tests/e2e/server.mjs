// Static servers for dist/ on loopback, in the four ways the app is served in the tests:
//   'coop-coep'  with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (isolated);
//   'none'       with no special headers, as GitHub Pages and most docs sites serve it;
//   and, through `serveEmbed`, as an iframe in a cross-site parent page that sends no
//   headers: the app with `Document-Isolation-Policy: isolate-and-require-corp` ('dip'), or
//   with no headers at all ('none'). The parent is on 127.0.0.1 and the app on localhost, two
//   different sites.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const HEADERS = {
  'coop-coep': { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  dip: { 'Document-Isolation-Policy': 'isolate-and-require-corp' },
  none: {},
};

/** Listens with `handler` on a free port of 127.0.0.1 and, when there is one, the same port of ::1. */
async function listen(handler) {
  const v4 = createServer(handler);
  await new Promise((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const port = v4.address().port;
  // `localhost` may resolve to ::1 first; answer there too.
  const v6 = createServer(handler);
  const v6up = await new Promise((resolve) => {
    v6.once('error', () => resolve(false));
    v6.listen(port, '::1', () => resolve(true));
  });
  const close = () => Promise.all([v4, ...(v6up ? [v6] : [])].map((s) => new Promise((r) => s.close(r))));
  return { port, close };
}

/** The headers a Netlify-style `_headers` file gives every path (`/*`), as the hosts read it. */
export function headersFile(path) {
  const headers = {};
  let all = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) { all = line.trim() === '/*'; continue; }
    const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line) ?? [];
    if (all && name) headers[name] = value.trim();
  }
  return headers;
}

/**
 * Serves `root` with the headers of `mode` ('coop-coep', 'dip', 'none', or '_headers': those
 * of root/_headers, the file shipped for Netlify and Cloudflare Pages); `isolated` is the old flag.
 */
export async function serve(root, { isolated = true, mode = isolated ? 'coop-coep' : 'none', host = '127.0.0.1' } = {}) {
  const modeHeaders = mode === '_headers' ? headersFile(join(root, '_headers')) : HEADERS[mode];
  const { port, close } = await listen(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...modeHeaders };
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return { url: `http://${host}:${port}/`, close };
}

/**
 * Serves the app on localhost with `appMode` headers (as for `serve`) and, on 127.0.0.1, a
 * parent page with no headers that embeds it in an iframe (`allow="cross-origin-isolated"`,
 * which is what a docs page would write). `url` is the parent's; `appUrl` the iframe's.
 */
export async function serveEmbed(root, appMode) {
  const app = await serve(root, { mode: appMode, host: 'localhost' });
  const page = `<!doctype html><meta charset="utf-8"><title>A docs page</title>
<h1>A docs page embedding the kitchen</h1>
<iframe id="kitchen" src="${app.url}" allow="cross-origin-isolated" style="width:1200px;height:700px"></iframe>`;
  const parent = await listen((req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page));
  return {
    url: `http://127.0.0.1:${parent.port}/`,
    appUrl: app.url,
    close: async () => { await parent.close(); await app.close(); },
  };
}
