// `npm run bench`: performance figures measured in headless Chromium with a persistent profile (an in-memory
// default context would flatter IndexedDB two to three times). Serves out/, opens pages, prints figures; it never
// asserts timings. Each section is a named function returning lines; add a section by appending to `sections`.
//
// Environment: BENCH_DISK_MIB (default 64), BENCH_EXTENT_SECTORS (e.g. "15,64,256" to compare record sizes; default:
// the storage layer's own), BENCH_QUEUE_DEPTH (read/write calls in flight, default 2), BENCH_PORT (default: any free
// port, so a server someone left running on a fixed port is never benchmarked by mistake), BENCH_SECTIONS (e.g.
// "datacenter" or "storage,datacenter,kmip": the sections to run; default all).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './browser-path.mjs';
import { serveStatic } from './static-server.mjs';

/** Storage: encrypted disk write, read and deep re-encryption against their ceilings (lib/storage/bench/). */
async function storageSection({ context, baseURL }) {
  const page = await context.newPage();
  await page.goto(`${baseURL}/diagnostics`);
  await page.waitForFunction(() => typeof window.keylabBench?.run === 'function');
  const diskMib = Number(process.env.BENCH_DISK_MIB ?? 64);
  const queueDepth = process.env.BENCH_QUEUE_DEPTH ? Number(process.env.BENCH_QUEUE_DEPTH) : undefined;
  const extentChoices = process.env.BENCH_EXTENT_SECTORS
    ? process.env.BENCH_EXTENT_SECTORS.split(',').map(Number)
    : [undefined];
  const lines = [];
  for (const extentSectors of extentChoices) {
    const result = await page.evaluate(
      (options) => window.keylabBench.run(options),
      { diskBytes: diskMib * 1024 * 1024, extentSectors, queueDepth },
    );
    lines.push(
      `${diskMib} MiB disk, extents of ${result.extentSectors} sectors (${result.recordBytes.toLocaleString('en')} B ` +
        `records), ${(result.chunkBytes / 1024 / 1024).toFixed(2)} MiB per call and batch, queue depth ${result.queueDepth}`,
      ...result.lines.map((line) => `  ${line}`),
      ...goalLines(result.figures),
    );
  }
  await page.close();
  return lines;
}

/** The goals of issue #2, checked against the figures of the same run. */
const STORAGE_GOALS = [
  { id: 'reencrypt', ceiling: 'loop-whole', goal: 0.8, floor: 0.5 },
  { id: 'write', ceiling: 'idb-write', goal: 0.7 },
];

function goalLines(figures) {
  return STORAGE_GOALS.flatMap(({ id, ceiling, goal, floor }) => {
    const figure = figures.find((f) => f.id === id && f.ceiling?.id === ceiling);
    if (!figure) return [];
    const ratio = figure.ceiling.ratio;
    const verdict = ratio >= goal ? 'met' : floor !== undefined && ratio >= floor ? `below goal, above the floor of ${floor}` : 'NOT met';
    // Three decimals here: 0.797 printed as 0.80 beside "below goal" would read as a contradiction.
    return [`  goal: ${figure.label} at ${goal} of ${figure.ceiling.label}: ${ratio.toFixed(3)}, ${verdict}`];
  });
}

const DATACENTER_GOAL_MS = 2000;

/** Datacenter: build 20 hosts and 500 encrypted VMs, shallow re-key them all, restore (machines/session/bench-datacenter.ts). */
async function datacenterSection({ context, baseURL }) {
  const page = await context.newPage();
  let result;
  try {
    await page.goto(`${baseURL}/diagnostics`);
    await page.waitForFunction(() => typeof window.keylabBench?.run === 'function');
    const available = await page.evaluate(() => typeof window.keylabDatacenterBench?.run === 'function');
    if (!available) return ['  not in this build: the diagnostics page exposes no window.keylabDatacenterBench yet'];
    result = await page.evaluate(() => window.keylabDatacenterBench.run());
  } finally {
    await page.close();
  }
  const time = (label, ms) =>
    `  ${label}: ${(ms / 1000).toFixed(2)} s, goal under ${DATACENTER_GOAL_MS / 1000} s: ${ms < DATACENTER_GOAL_MS ? 'met' : 'NOT met'}`;
  return [
    `${result.hosts} hosts, ${result.vms} encrypted VMs`,
    time('build the datacenter', result.buildMs),
    time('shallow re-key of every VM', result.shallowRekeyAllMs),
    time('restore the saved lab', result.restoreMs),
  ];
}

/**
 * KMIP codec: messages encoded and decoded per second (lib/kmip/bench.ts). Pure TypeScript run in Node through its
 * Vitest file, since this script cannot import TypeScript; the rate is per CPU second, so neighbours do not skew it.
 */
async function kmipSection() {
  const out = spawnSync('npx', ['vitest', 'run', 'lib/kmip/bench.test.ts'], {
    encoding: 'utf8',
    env: { ...process.env, KMIP_BENCH_MS: '1500', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const line = `${out.stdout}\n${out.stderr}`.split('\n').find((l) => l.startsWith('KMIP codec'));
  if (out.status !== 0 || !line) throw new Error(`lib/kmip/bench.test.ts failed (${out.status}): ${out.stderr.slice(-300)}`);
  return [`  ${line}`];
}

const allSections = [
  { name: 'storage', run: storageSection },
  { name: 'datacenter', run: datacenterSection },
  { name: 'kmip', run: kmipSection },
];

function chosenSections() {
  const wanted = (process.env.BENCH_SECTIONS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (wanted.length === 0) return allSections;
  const unknown = wanted.filter((name) => !allSections.some((section) => section.name === name));
  if (unknown.length > 0) {
    throw new Error(`BENCH_SECTIONS names no section ${unknown.join(', ')} (known: ${allSections.map((s) => s.name).join(', ')}).`);
  }
  return allSections.filter((section) => wanted.includes(section.name));
}

/** Serves out/ on BENCH_PORT, or on any free port the OS picks. */
async function startServer() {
  const root = join(process.cwd(), 'out');
  if (!existsSync(join(root, 'diagnostics.html'))) {
    throw new Error('out/diagnostics.html is missing: run `next build` first (npm run bench does).');
  }
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : 0;
  try {
    return await serveStatic(root, port);
  } catch (error) {
    throw new Error(`The static server could not listen on port ${port} (${error instanceof Error ? error.message : String(error)}).`);
  }
}

async function main() {
  const sections = chosenSections();
  const executablePath = chromiumExecutable();
  if (executablePath === null) throw new Error('No Chromium found (see scripts/check-browser.mjs).');
  const server = await startServer();
  const baseURL = `http://localhost:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'keylab-bench-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executablePath ?? undefined,
      args: chromiumArgs,
      headless: true,
    });
    console.log(`keylab bench: headless Chromium ${context.browser()?.version() ?? ''}, persistent profile`.trim());
    for (const section of sections) {
      console.log(`\n[${section.name}]`);
      const started = Date.now();
      try {
        for (const line of await section.run({ context, baseURL })) console.log(line);
      } catch (error) {
        // One broken section must not hide the others' figures; the exit code still says something failed.
        console.log(`  failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        process.exitCode = 1;
      }
      console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await context?.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`keylab bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
