// The static server behind `npm start` faces whatever paths any web page makes a learner's browser request: each
// malformed one gets a 400, the server keeps serving, nothing outside the export is ever sent, and every response
// carries the lab's security headers.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './static-server.mjs';

const SECRET = 'SECRET-OUTSIDE-THE-EXPORT';
let dir;
let server;
let port;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keylab-static-'));
  const out = join(dir, 'out');
  await mkdir(join(out, '_next/static/chunks'), { recursive: true });
  await writeFile(join(out, 'index.html'), '<html><head></head><body>home<script>self.x=1</script></body></html>');
  await writeFile(join(out, 'lab.html'), '<html><head></head><body>lab</body></html>');
  await writeFile(join(out, '404.html'), '<html><head></head><body>not found</body></html>');
  await writeFile(join(out, '_next/static/chunks/app-3f2a.js'), 'console.log(1)');
  // Neighbours a traversal or a prefix trick might reach: ../secret.txt, ../out-private/, a symlink out.
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await mkdir(join(dir, 'out-private'));
  await writeFile(join(dir, 'out-private', 'index.html'), SECRET);
  await symlink(join(dir, 'secret.txt'), join(out, 'link.txt'));
  server = await serveStatic(out, 0);
  port = server.address().port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Sends a raw request line (no client-side checks, so any bytes reach the server); resolves with status and body. */
function raw(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(path).slice(0, 80)}`)));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status, head: head.toLowerCase(), body });
    });
    socket.write(Buffer.concat([Buffer.from(`${method} `), Buffer.from(path, 'latin1'), Buffer.from(' HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')]));
  });
}

const ok = (path) => raw(path).then((r) => r.status);

describe('static server', () => {
  it('serves the export: pages by name, assets, and a 404 page for anything missing', async () => {
    expect(await ok('/')).toBe(200);
    expect(await ok('/lab')).toBe(200);
    expect(await ok('/lab?x=%')).toBe(200);
    expect(await ok('/_next/static/chunks/app-3f2a.js')).toBe(200);
    const missing = await raw('/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('not found');
  });

  it('answers a bad percent-encoding with 400 and keeps serving (it used to crash on /%)', async () => {
    for (const path of ['/%', '/%zz', '/lab%', '/%E0%A4%A', '/%c0%af', '/%ff']) expect(await ok(path)).toBe(400);
    expect(await ok('/lab')).toBe(200);
  });

  it('refuses traversal, NUL bytes, backslashes and over-long paths, and never leaves the export', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/lab/../../secret.txt', '/%00', '/lab%00.html', '/..\\secret.txt', '/%5c..%5csecret.txt', `/${'a'.repeat(5000)}`]) {
      const r = await raw(path);
      expect(r.status, path).toBe(400);
      expect(r.body).not.toContain(SECRET);
    }
    for (const path of ['/../out-private/', '/link.txt']) expect((await raw(path)).body).not.toContain(SECRET);
  });

  it('sends the security headers, a CSP on pages, and long-lived caching only for hashed assets', async () => {
    const page = await raw('/');
    expect(page.head).toContain('x-content-type-options: nosniff');
    expect(page.head).toContain('referrer-policy: no-referrer');
    expect(page.head).toContain('cross-origin-opener-policy: same-origin');
    const csp = /content-security-policy: (.*)/.exec(page.head)?.[1] ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.head).toContain('cache-control: no-cache');
    expect((await raw('/_next/static/chunks/app-3f2a.js')).head).toContain('cache-control: public, max-age=31536000, immutable');
    expect((await raw('/missing.js')).head).toContain('cache-control: no-cache');
    expect((await raw('/', 'POST')).status).toBe(405);
  });

  it('survives a few thousand random and hostile paths, serving nothing from outside the export', async () => {
    let seed = 42;
    const rand = (n) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['%', '%%', '%zz', '%2', '%00', '%2e', '%2e%2e', '..', '.', '%2f', '/', '//', '\\', '%5c', '\u0000', 'lab', 'index.html', '404', '_next', 'static', 'secret.txt', '?', '#', ';', '%c0%ae', '%ff%fe', 'é', '\u00ff', '~', ' ', '\t', 'out-private', 'link.txt', '%u002e'];
    const statuses = new Set();
    for (let i = 0; i < 3000; i++) {
      let path = '/';
      const parts = 1 + rand(12);
      for (let j = 0; j < parts; j++) path += pieces[rand(pieces.length)];
      if (rand(50) === 0) path += 'x'.repeat(2000 + rand(70_000));
      const r = await raw(path, rand(20) === 0 ? ['POST', 'DELETE', 'PUT', 'BREW'][rand(4)] : 'GET');
      expect(r.body, path).not.toContain(SECRET);
      statuses.add(r.status);
    }
    expect([...statuses].every((s) => [200, 400, 404, 405, 414, 431].includes(s)), [...statuses].join()).toBe(true);
    expect(statuses.has(400)).toBe(true);
    expect(await ok('/lab')).toBe(200);
  });
});
