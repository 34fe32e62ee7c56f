// A static file server for the export in out/: keylab has no server side, so any file server would do. Used by
// `npm start` (scripts/serve.mjs), the Playwright web server and scripts/bundle-size.mjs.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2', '.map': 'application/json',
};

async function resolveFile(root, urlPath) {
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  for (const candidate of [clean, `${clean}.html`, join(clean, 'index.html')]) {
    const full = join(root, candidate);
    if (!full.startsWith(root)) return null;
    try {
      if ((await stat(full)).isFile()) return full;
    } catch { /* try the next candidate */ }
  }
  return null;
}

/** Serves `root` on 127.0.0.1:`port` (0: any free port); resolves with the listening server. */
export function serveStatic(root, port) {
  const server = createServer(async (req, res) => {
    const file = (await resolveFile(root, req.url ?? '/')) ?? join(root, '404.html');
    try {
      const body = await readFile(file);
      const status = file.endsWith('404.html') && !(req.url ?? '').startsWith('/404') ? 404 : 200;
      res.writeHead(status, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('keylab: run `npm run build` first (out/ is missing).');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
