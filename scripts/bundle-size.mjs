// Measures a route's first-load JavaScript, gzipped, from the static export (Next 16 no longer prints it): every
// script the exported HTML loads (script src and preloaded scripts), each gzipped at level 9 as gzip-size did for
// Next's old build table. Fails when the total is over the budget, so `npm run size` can guard the 300 kB limit.
//
// Usage: node scripts/bundle-size.mjs [--route /lab] [--budget-kb 300] [--out out]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const route = arg('route', '/lab');
const budgetKb = Number(arg('budget-kb', '300'));
const outDir = arg('out', 'out');

function htmlFileFor(routePath) {
  const clean = routePath.replace(/^\/+|\/+$/g, '');
  const candidates = clean === '' ? ['index.html'] : [`${clean}.html`, join(clean, 'index.html')];
  for (const c of candidates) {
    const full = join(outDir, c);
    if (existsSync(full)) return full;
  }
  return null;
}

/** Attributes of every tag named `tag` in the HTML, as plain objects. */
function tags(html, tag) {
  const out = [];
  const re = new RegExp(`<${tag}\\b([^>]*)>`, 'gi');
  for (const m of html.matchAll(re)) {
    const attrs = {};
    for (const a of m[1].matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      attrs[a[1].toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
    }
    out.push(attrs);
  }
  return out;
}

function scriptUrls(html) {
  const urls = new Set();
  for (const s of tags(html, 'script')) if (s.src) urls.add(s.src);
  for (const l of tags(html, 'link')) {
    const rel = (l.rel ?? '').toLowerCase();
    if (l.href && (rel === 'modulepreload' || (rel === 'preload' && l.as === 'script'))) urls.add(l.href);
  }
  return [...urls];
}

function fileOf(url) {
  const path = decodeURIComponent(new URL(url, 'http://localhost/').pathname);
  return join(outDir, path);
}

const htmlFile = htmlFileFor(route);
if (!htmlFile) {
  console.error(`No exported HTML for ${route} in ${outDir}/: run \`npx next build\` first.`);
  process.exit(2);
}
const html = readFileSync(htmlFile, 'utf8');
const rows = scriptUrls(html).map((url) => {
  const file = fileOf(url);
  if (!existsSync(file)) return { url, raw: 0, gz: 0, missing: true };
  const bytes = readFileSync(file);
  return { url, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, missing: false };
});
// Inline scripts (the RSC payload, the theme script) are part of the HTML document, not of the JS Next reports.
rows.sort((a, b) => b.gz - a.gz);
const kb = (n) => (n / 1000).toFixed(1).padStart(7);
console.log(`First-load JS of ${route} (${htmlFile}), gzip -9:`);
for (const r of rows) console.log(`${kb(r.gz)} kB  (${kb(r.raw)} kB raw)  ${r.url}${r.missing ? '  MISSING' : ''}`);
const total = rows.reduce((s, r) => s + r.gz, 0);
const totalRaw = rows.reduce((s, r) => s + r.raw, 0);
console.log(`${kb(total)} kB  (${kb(totalRaw)} kB raw)  total, ${rows.length} files; budget ${budgetKb} kB`);
if (rows.some((r) => r.missing)) {
  console.error('Some scripts named in the HTML are missing from the export.');
  process.exit(1);
}
if (total > budgetKb * 1000) {
  console.error(`Over budget by ${((total - budgetKb * 1000) / 1000).toFixed(1)} kB.`);
  process.exit(1);
}
