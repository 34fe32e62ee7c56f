// `npm run size`: what the lab costs a learner to load, from the static export in out/ (run `next build` first).
//
// 1. First-load JS of a route, gzipped (Next 16 no longer prints it): every script the exported HTML loads (script
//    src and preloaded scripts), each gzipped at level 9 as gzip-size did for Next's old build table. Fails when the
//    total is over the budget (300 kB for /lab, issue #4).
// 2. In headless Chromium with a fresh persistent profile: every script fetched until the lab's workspace is usable
//    (the lab engine and workspace load after the HTML), and how long after navigation the inventory tree showed,
//    on a first visit (which builds and encrypts the starting lab) and on a reload (which reopens the saved lab).
//    Figures only, never a verdict on time: the machine's load decides them. Skipped with --static-only.
//
// Usage: node scripts/bundle-size.mjs [--route /lab] [--budget-kb 300] [--out out] [--static-only]
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './browser-path.mjs';
import { serveStatic } from './static-server.mjs';

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
function sizeOf(url) {
  const file = fileOf(url);
  if (!existsSync(file)) return { url, raw: 0, gz: 0, missing: true };
  const bytes = readFileSync(file);
  return { url, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, missing: false };
}

const rows = scriptUrls(html).map(sizeOf);
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

/** Opens `route` in a fresh persistent profile: scripts fetched and ms from navigation to the usable workspace. */
async function measureInBrowser() {
  const executablePath = chromiumExecutable();
  if (executablePath === null) {
    console.log('\nNo Chromium found: the in-browser figures are skipped (see scripts/check-browser.mjs).');
    return;
  }
  const server = await serveStatic(resolve(outDir), 0);
  const baseURL = `http://localhost:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'keylab-size-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, args: chromiumArgs, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const fetched = new Set();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.origin === baseURL && url.pathname.endsWith('.js')) fetched.add(url.pathname);
    });
    const usableAfter = async (navigate) => {
      await navigate();
      // The inventory tree is the first thing a learner uses; performance.now() counts from navigation start.
      const at = await page.waitForFunction(
        () => (document.querySelector('[role="tree"][aria-label="Inventory"]') ? performance.now() : null),
        null,
        { polling: 'raf', timeout: 60_000 },
      );
      return Number(await at.jsonValue());
    };
    const firstVisit = await usableAfter(() => page.goto(`${baseURL}${route}`));
    const all = [...fetched].map(sizeOf);
    const later = all.filter((r) => !rows.some((h) => fileOf(h.url) === fileOf(r.url)));
    const laterGz = later.reduce((s, r) => s + r.gz, 0);
    const allGz = all.reduce((s, r) => s + r.gz, 0);
    const reload = await usableAfter(() => page.reload());
    console.log(`\nIn headless Chromium ${context.browser()?.version() ?? ''} (fresh persistent profile):`);
    console.log(`${kb(laterGz)} kB  loaded after the HTML until the workspace is usable (lab engine, workspace), ${later.length} files`);
    console.log(`${kb(allGz)} kB  all JavaScript fetched until then, ${all.length} files`);
    for (const r of later.sort((a, b) => b.gz - a.gz)) console.log(`${kb(r.gz)} kB  (${kb(r.raw)} kB raw)  ${r.url}  (after the HTML)`);
    console.log(`inventory usable ${firstVisit.toFixed(0)} ms after navigation on a first visit (builds and encrypts the starting lab)`);
    console.log(`inventory usable ${reload.toFixed(0)} ms after navigation on a reload (reopens the saved lab)`);
  } finally {
    await context.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

if (!process.argv.includes('--static-only')) await measureInBrowser();
