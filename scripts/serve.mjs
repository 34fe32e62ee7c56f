// Serves the static export in out/ on localhost: keylab has no server side, so any file server would do.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = join(process.cwd(), 'out');
const port = Number(process.env.PORT ?? 3000);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2', '.map': 'application/json',
};

async function resolveFile(urlPath) {
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

createServer(async (req, res) => {
  const file = (await resolveFile(req.url ?? '/')) ?? join(root, '404.html');
  try {
    const body = await readFile(file);
    const status = file.endsWith('404.html') && !(req.url ?? '').startsWith('/404') ? 404 : 200;
    res.writeHead(status, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('keylab: run `npm run build` first (out/ is missing).');
  }
}).listen(port, '127.0.0.1', () => console.log(`keylab is running at http://localhost:${port}`));
