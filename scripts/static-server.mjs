// A static file server for the export in out/: keylab has no server side, so any file server would do. Used by
// `npm start` (scripts/serve.mjs), the Playwright web server, scripts/bench.mjs and scripts/bundle-size.mjs.
// Any web page can make a learner's browser request any path here, so a malformed request gets a 400 and the server
// keeps serving, and nothing outside `root` is ever read.
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, posix, sep } from 'node:path';
import { cspForHtml } from './csp.mjs';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** Longer than any path the export holds (Next.js's are under 200 characters); longer ones are refused unread. */
const MAX_PATH = 1024;

/** Headers every response carries; the HTML pages add their Content-Security-Policy. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

class BadRequest extends Error {}

/**
 * The request's path as a clean absolute path inside the export ("/lab", "/_next/static/x.js"), or BadRequest. Never
 * throws anything else: bad percent-encoding, NUL bytes, backslashes, ".." segments and over-long paths are refused
 * here rather than normalised into something that might resolve.
 */
export function cleanPath(url) {
  if (typeof url !== 'string' || !url.startsWith('/') || url.length > MAX_PATH) throw new BadRequest();
  const raw = url.split(/[?#]/, 1)[0];
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new BadRequest();
  }
  if (/[\u0000-\u001f\u007f\\]/.test(decoded)) throw new BadRequest();
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) throw new BadRequest();
  return posix.normalize(decoded);
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file the path names ("/lab" → lab.html, "/" → index.html), only if it really lies inside root. */
async function resolveFile(root, path) {
  const base = join(root, path);
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (!(await isFile(candidate))) continue;
    // realpath so a symlink in out/ cannot point the server outside it.
    const real = await realpath(candidate);
    if (real.startsWith(root + sep)) return real;
  }
  return null;
}

/** Only Next.js's content-hashed build output may be cached for good; pages and everything else are revalidated. */
function cacheControl(path) {
  return path.startsWith('/_next/static/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function send(res, status, headers, body, head) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(head ? undefined : body);
}

/** Serves `root` on 127.0.0.1:`port` (0: any free port); resolves with the listening server. */
export async function serveStatic(root, port) {
  const realRoot = await realpath(root).catch(() => root);
  const server = createServer(async (req, res) => {
    const head = req.method === 'HEAD';
    try {
      if (req.method !== 'GET' && !head) {
        send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method not allowed.\n', head);
        return;
      }
      let path;
      try {
        path = cleanPath(req.url);
      } catch {
        send(res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad request.\n', head);
        return;
      }
      const found = await resolveFile(realRoot, path);
      const file = found ?? join(realRoot, '404.html');
      let body;
      try {
        body = await readFile(file);
      } catch {
        send(res, 500, { 'content-type': 'text/plain; charset=utf-8' }, 'keylab: run `npm run build` first (out/ is missing).\n', head);
        return;
      }
      const type = types[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': found ? cacheControl(path) : 'no-cache' };
      if (type.startsWith('text/html')) {
        // Computed per response (a page is a few kB to hash), so a rebuild under a running server stays right.
        headers['content-security-policy'] = cspForHtml(body.toString('utf8'), { header: true });
      }
      send(res, found ? 200 : 404, headers, body, head);
    } catch {
      // Whatever else goes wrong answers this one request, never the whole server.
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain; charset=utf-8' }, 'Internal error.\n', head);
      else res.destroy();
    }
  });
  // A malformed request line or header never reaches the handler: answer it and keep listening.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
