// `npm run soak`: a crash campaign in headless Chromium with a persistent profile (IndexedDB on disk, as a learner's).
// N times: start an encrypt, decrypt, deep re-key (of app-01), an NKP backup or an NKP restore from the UI, interrupt
// it after a random delay by a reload, a closed tab or a renderer crash, reopen the lab, let it resume, then check:
// the VM page matches the VM's files (encryption, key ID, DEK fingerprint), the NKP card matches the stored KDK, the
// guest file reads back byte for byte, and no pending record or journal is left. Prints N, failures and time.
//
// Environment: SOAK_N (default 20; the goal is 0 failures at 1,000), SOAK_SEED (default: the time), SOAK_MAX_DELAY_MS
// (default 600; delays are skewed short), SOAK_PORT (default: any free port), SOAK_PLANT=pending (checks the checker: iteration 1 must fail).
// Needs a build in out/ (`npm run soak` builds first).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumExecutable } from './browser-path.mjs';
import { serveStatic } from './static-server.mjs';

const N = Number(process.env.SOAK_N ?? 20);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const MAX_DELAY_MS = Number(process.env.SOAK_MAX_DELAY_MS ?? 600);
const VM = 'app-01';
const NKP = 'NKP-SOAK';
const PASSWORD = 'soak campaign password 42';
const GUEST_FILE = 'soak.txt';
const GUEST_TEXT = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(5, '0')} soak line ✓ ünïcødé`).join('\n');
const READY_MS = 60_000;
/** SOAK_PLANT=pending: the checker's own test: a stray pending record is planted once, so iteration 1 must fail. */
const PLANT = process.env.SOAK_PLANT === 'pending';

/** mulberry32: the campaign is repeatable from its seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const main = (page) => page.locator('main#lab-main');
const fact = (page, label) => main(page).locator(`dt:text-is("${label}") + dd`);

let takeOvers = 0;

async function waitReady(page) {
  const workspace = page.getByTestId('workspace');
  const errorScreen = page.getByRole('heading', { name: /could not be|is missing/ });
  const elsewhere = page.getByRole('button', { name: 'Use it here instead' });
  await workspace.or(errorScreen).or(elsewhere).first().waitFor({ timeout: READY_MS });
  // The closed tab's renderer may still hold the lab's lock for a moment: the new tab offers to take it over.
  if (await elsewhere.count()) {
    takeOvers++;
    await elsewhere.click();
    await workspace.or(errorScreen).first().waitFor({ timeout: READY_MS });
  }
  if (await errorScreen.count()) throw new Error(`dead end: ${await page.locator('main').innerText()}`);
  await page.getByRole('tree', { name: 'Inventory' }).waitFor();
}

async function goTo(page, hash, heading) {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await main(page).getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Clicks an action button and waits for the ok/refused result shown beside it. */
async function runAction(page, name, scope = main(page)) {
  const button = scope.getByRole('button', { name, exact: typeof name === 'string' });
  await button.click();
  const result = button.locator('xpath=ancestor::*[descendant::*[@data-result]][1]').locator('[data-result]:not([data-result="running"])').first();
  await result.waitFor({ timeout: 60_000 });
  return { ok: (await result.getAttribute('data-result')) === 'ok', text: (await result.innerText()).trim() };
}

async function must(page, name, scope) {
  const result = await runAction(page, name, scope);
  if (!result.ok) throw new Error(`${name} refused: ${result.text}`);
}

/** What the datastore and key vault hold for app-01 and the NKP, read straight from IndexedDB. */
function readStored(page) {
  return page.evaluate(
    ({ vm, nkp }) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('keylab');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['datastoreFiles', 'reencryptJournals', 'keyVault'], 'readonly');
          const files = tx.objectStore('datastoreFiles').getAll();
          const journals = tx.objectStore('reencryptJournals').count();
          const kdk = tx.objectStore('keyVault').getKey(`vcenter:kdk:${nkp}`);
          tx.oncomplete = () => {
            db.close();
            const own = files.result.filter((f) => f.folder === vm);
            const vmx = own.find((f) => f.path.endsWith('.vmx'))?.text ?? '';
            const vmdk = own.find((f) => f.path.endsWith('.vmdk') && !f.path.endsWith('-flat.vmdk'))?.text ?? '';
            const keySafe = /^encryption\.keySafe\s*=\s*"([^"]*)"/m.exec(vmx)?.[1] ?? null;
            resolve({
              keyId: keySafe ? (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(keySafe)?.[0] ?? '?') : null,
              dek: /^ddb\.keylab\.dekFingerprint\s*=\s*"([^"]*)"/m.exec(vmdk)?.[1] ?? null,
              pending: own.some((f) => f.path.endsWith('.keylab-recrypt')),
              journals: journals.result,
              kdkStored: kdk.result !== undefined,
            });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { vm: VM, nkp: NKP },
  );
}

async function plant(page) {
  await page.evaluate(
    (vm) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('keylab');
        req.onsuccess = () => {
          const tx = req.result.transaction('datastoreFiles', 'readwrite');
          tx.objectStore('datastoreFiles').put({ datastoreId: 'ds-shared-01', path: `${vm}/${vm}.keylab-recrypt-planted.keylab-recrypt`, folder: vm, text: '{}', modifiedAt: 0 });
          tx.oncomplete = () => (req.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    VM,
  );
}

async function readGuestFile(page) {
  await main(page).getByRole('tab', { name: 'Guest console' }).click();
  await main(page).getByRole('list', { name: 'Guest files' }).getByRole('button', { name: new RegExp(`^${GUEST_FILE}`) }).click();
  return main(page).getByRole('region', { name: `Contents of ${GUEST_FILE}` }).innerText();
}

/** The full consistency check of one iteration; returns the problems found (none: consistent). */
async function check(page) {
  const problems = [];
  await goTo(page, `#/vm/${VM}`, VM);
  // The lab resumes an interrupted operation on open; it must finish on its own.
  const operation = page.getByTestId('vm-operation');
  for (let i = 0; i < 120 && (await operation.count()); i++) await page.waitForTimeout(500);
  if (await operation.count()) problems.push(`an operation is still shown: ${await operation.innerText()}`);
  const stored = await readStored(page);
  if (stored.pending) problems.push('a pending-operation record is left in the VM folder');
  if (stored.journals !== 0) problems.push(`${stored.journals} re-encryption journal(s) left`);
  const encryption = (await fact(page, 'Encryption').innerText()).trim();
  const pageEncrypted = !/^Not encrypted/i.test(encryption);
  if (pageEncrypted !== (stored.keyId !== null)) problems.push(`page says "${encryption}", files say ${stored.keyId ? `key ${stored.keyId}` : 'not encrypted'}`);
  if (pageEncrypted && stored.keyId) {
    const keyId = (await fact(page, 'KEK key ID').innerText()).trim();
    const dek = (await fact(page, 'DEK fingerprint').innerText()).trim();
    if (keyId !== stored.keyId) problems.push(`page key ${keyId}, files key ${stored.keyId}`);
    if (stored.dek && dek !== stored.dek) problems.push(`page DEK ${dek}, files DEK ${stored.dek}`);
  }
  const on = await runAction(page, 'Power on');
  if (!on.ok) problems.push(`Power on refused: ${on.text}`);
  else {
    const text = await readGuestFile(page);
    if (text !== GUEST_TEXT) problems.push(`guest file differs (${text.length} characters read, ${GUEST_TEXT.length} written)`);
    await must(page, 'Power off');
  }
  await goTo(page, '#/providers', 'Key Providers');
  const card = page.locator(`main#lab-main article[data-provider="${NKP}"]`);
  const shown = (await card.count()) > 0;
  if (shown && !stored.kdkStored) problems.push(`${NKP} is shown but vCenter holds no KDK for it`);
  return { problems, encrypted: stored.keyId !== null, nkpShown: shown };
}

async function setUp(page, baseURL, p12Path) {
  await page.goto(`${baseURL}/lab`);
  await waitReady(page);
  await goTo(page, `#/vm/${VM}`, VM);
  await main(page).getByRole('tab', { name: 'Guest console' }).click();
  await main(page).getByLabel('File name').fill(GUEST_FILE);
  await main(page).getByLabel('Text', { exact: true }).fill(GUEST_TEXT);
  await main(page).getByRole('button', { name: 'Save file' }).click();
  await main(page).getByRole('region', { name: `Contents of ${GUEST_FILE}` }).waitFor();
  await must(page, 'Power off');
  await goTo(page, '#/providers', 'Key Providers');
  await main(page).getByRole('button', { name: 'Add Native Key Provider…' }).click();
  const add = page.getByRole('dialog', { name: 'Add Native Key Provider' });
  await add.getByLabel('Name').fill(NKP);
  await add.getByRole('button', { name: 'Add key provider' }).click();
  await add.waitFor({ state: 'hidden' });
  await backUp(page, p12Path, true);
}

async function backUp(page, p12Path, wait) {
  const card = page.locator(`main#lab-main article[data-provider="${NKP}"]`);
  await card.getByRole('button', { name: `Back up ${NKP}…` }).click();
  const dialog = page.getByRole('dialog', { name: /Back up Native Key Provider/ });
  await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await dialog.getByLabel('Confirm password').fill(PASSWORD);
  await dialog.getByLabel(/I have saved the password/).check();
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Back up key provider' }).click();
  if (!wait) {
    downloading.catch(() => undefined);
    return;
  }
  await (await downloading).saveAs(p12Path);
  await dialog.waitFor({ state: 'hidden' });
}

async function removeNkp(page) {
  const card = page.locator(`main#lab-main article[data-provider="${NKP}"]`);
  await card.getByRole('button', { name: `Remove ${NKP}…` }).click();
  await page.getByRole('dialog', { name: `Remove key provider ${NKP}?` }).getByRole('button', { name: 'Remove', exact: true }).click();
  await card.waitFor({ state: 'detached' });
}

async function startRestore(page, p12Path) {
  await main(page).getByRole('button', { name: 'Restore from backup…' }).click();
  const dialog = page.getByRole('dialog', { name: /Restore Native Key Provider/ });
  await dialog.getByLabel('Backup file (.p12)').setInputFiles(p12Path);
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
}

/** Starts the operation (does not wait for it): the interruption comes while it runs, or just after. */
async function startOperation(page, op, p12Path) {
  if (op === 'backup' || op === 'restore') {
    await goTo(page, '#/providers', 'Key Providers');
    if (op === 'backup') await backUp(page, p12Path, false);
    else {
      if (await page.locator(`main#lab-main article[data-provider="${NKP}"]`).count()) await removeNkp(page);
      await startRestore(page, p12Path);
    }
    return;
  }
  await goTo(page, `#/vm/${VM}`, VM);
  if (op === 'rekeyDeep') {
    await main(page).getByLabel(/^Deep/).check();
    await main(page).getByRole('button', { name: 'Deep re-key', exact: true }).click();
  } else {
    await main(page).getByRole('button', { name: op === 'encrypt' ? 'Encrypt' : 'Decrypt', exact: true }).click();
  }
}

/**
 * Interrupts as a learner's browser might: a reload, a closed tab, a renderer crash; then the lab is opened in a tab
 * of its own (opened first, so the browser always keeps a window).
 */
async function interrupt(context, page, how, baseURL) {
  if (how === 'reload') {
    await page.reload({ waitUntil: 'commit' }).catch(() => undefined);
    return page;
  }
  const next = await context.newPage();
  if (how === 'crash') {
    const cdp = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash', { timeout: 10_000 }).catch(() => undefined);
    // The renderer dies before it can answer, so the command itself is never awaited.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
  }
  await page.close({ runBeforeUnload: false }).catch(() => undefined);
  await next.goto(`${baseURL}/lab`);
  return next;
}

/** How a page ended up (for a failure's report): its heading, or that it is gone. */
async function whereIs(page) {
  return page.locator('h1').first().innerText({ timeout: 2000 }).catch(() => 'no page');
}

function launch(profile, executablePath) {
  return chromium.launchPersistentContext(profile, { executablePath, args: chromiumArgs, headless: true, acceptDownloads: true });
}

async function run() {
  if (!existsSync('out/lab.html') && !existsSync('out/lab/index.html')) throw new Error('No build in out/: run `npm run build` first.');
  const executablePath = chromiumExecutable();
  if (executablePath === null) throw new Error('No Chromium: set CHROMIUM_PATH.');
  const server = await serveStatic('out', Number(process.env.SOAK_PORT ?? 0));
  const baseURL = `http://127.0.0.1:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'keylab-soak-profile-'));
  const p12Path = join(profile, '..', `keylab-soak-${process.pid}.p12`);
  const rand = random(SEED);
  const started = Date.now();
  const failures = [];
  const counts = {};
  let midOperation = 0;
  let context;
  try {
    context = await launch(profile, executablePath);
    let page = context.pages()[0] ?? (await context.newPage());
    await setUp(page, baseURL, p12Path).catch(async (error) => {
      await page.screenshot({ path: join(tmpdir(), 'keylab-soak-setup.png') }).catch(() => undefined);
      throw error;
    });
    let state = await check(page);
    if (state.problems.length) throw new Error(`the lab is inconsistent before the campaign: ${state.problems.join('; ')}`);
    for (let i = 1; i <= N; i++) {
      const vmOps = state.encrypted ? ['decrypt', 'rekeyDeep'] : ['encrypt'];
      // A restore removes the NKP first when it is there; a backup needs it there.
      const ops = [...vmOps, ...vmOps, 'restore', ...(state.nkpShown ? ['backup'] : ['restore'])];
      const op = ops[Math.floor(rand() * ops.length)];
      const how = ['reload', 'close', 'crash'][Math.floor(rand() * 3)];
      // Skewed short: a small disk's operation lasts a few hundred milliseconds, and most interruptions should land in it.
      const delay = Math.floor(rand() ** 2 * MAX_DELAY_MS);
      const key = `${op}/${how}`;
      counts[key] = (counts[key] ?? 0) + 1;
      let problems;
      try {
        await startOperation(page, op, p12Path);
        await page.waitForTimeout(delay);
        // Whether the interruption lands while the operation still runs (its progress or its dialog on screen).
        const running = await page.getByTestId('vm-operation').or(page.getByRole('dialog')).count().catch(() => 0);
        if (running) midOperation++;
        if (PLANT && i === 1) await plant(page);
        page = await interrupt(context, page, how, baseURL);
        await waitReady(page);
        state = await check(page);
        problems = state.problems;
      } catch (error) {
        problems = [`${error instanceof Error ? error.message.split('\n')[0] : String(error)} (page: ${await whereIs(page)})`];
        // Start the next iteration from a working page (a new browser on the same profile if this one broke).
        await page.close().catch(() => undefined);
        page = await context.newPage().catch(async () => {
          await context.close().catch(() => undefined);
          context = await launch(profile, executablePath);
          return context.pages()[0] ?? context.newPage();
        });
        await page.goto(`${baseURL}/lab`);
        await waitReady(page).catch(() => undefined);
        state = await check(page).catch(() => state);
      }
      if (problems.length) failures.push({ i, op, how, delay, problems });
      process.stdout.write(`${i}/${N} ${op} interrupted by ${how} after ${delay} ms: ${problems.length ? `FAIL ${problems.join('; ')}` : 'consistent'}\n`);
    }
  } finally {
    await context?.close().catch(() => undefined);
    server.close();
    await rm(profile, { recursive: true, force: true });
    await rm(p12Path, { force: true });
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nkeylab soak: N = ${N}, seed ${SEED}, failures ${failures.length}, time ${seconds.toFixed(0)} s (${(seconds / Math.max(1, N)).toFixed(1)} s per interruption)`);
  console.log(`  a new tab found the lab still held by the interrupted one and took it over: ${takeOvers} time(s)`);
  console.log(`  interrupted while the operation was still on screen (running, or its dialog open): ${midOperation} of ${N}`);
  console.log(`  by operation/interruption: ${Object.entries(counts).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const f of failures) console.log(`  #${f.i} ${f.op} by ${f.how} after ${f.delay} ms: ${f.problems.join('; ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

run().catch((error) => {
  console.error(`keylab soak: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 2;
});
