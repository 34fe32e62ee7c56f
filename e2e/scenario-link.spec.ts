// A scenario link opens a prepared situation in a lab of its own: the briefing shows, the lab is built in its own
// database with the scenario's world (vCenter destroyed, VMs on an NKP whose backup is handed out), a reload keeps it,
// and the sandbox is as it was. A broken link is named and changes nothing; opening the link again with progress made
// asks first (continue, or start over with the current lab offered as a download).
import { expect, test, type Page } from '@playwright/test';
import { encodeScenarioFragment } from '../lib/scenario/scenario-link';
import { readScenario } from '../lib/scenario/scenario-v2';
import { doomsdayInput } from '../lib/scenario/sample-scenarios';
import { linkMutator } from '../lib/scenario/link-mutations';
import { LabPage, expectNoAxeViolations } from './pages/lab-page';

const OPEN_TIMEOUT = 45_000;

async function scenarioUrl(learner?: string) {
  return `/scenario#${await encodeScenarioFragment(readScenario(doomsdayInput()), learner)}`;
}

const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort());

/** Screenshots at 1280 and 390 px, light and dark, for a screen outside the workspace (no theme toggle there); axe in each theme. */
async function shotsOfScreen(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 720 });
      // Colours ease in: wait for them to settle so the picture and axe see the theme's own.
      await page.waitForTimeout(600);
      await page.screenshot({ path: `/tmp/shots/${name}-${width}-${theme}.png` });
    }
    await expectNoAxeViolations(page, `${name}, ${theme}`);
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function openScenario(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
}

test('a link opens its scenario in a lab of its own; a reload keeps it; the sandbox is untouched', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('db-01');
  // The sandbox as the learner left it: vCenter running.
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();

  await openScenario(page, await scenarioUrl());
  const briefing = page.getByTestId('scenario-briefing');
  await expect(briefing.getByRole('heading', { name: 'vCenter is gone' })).toBeVisible();
  await expect(briefing).toContainText('You have last week’s backup of NKP-Prod.');
  await expect(page.getByTestId('handout')).toContainText('Last-week-2024!');
  await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
  await expect(page).toHaveURL(/\/scenario\?lab=[0-9a-f]{24}$/);
  const key = new URL(page.url()).searchParams.get('lab');
  expect(await databases(page)).toEqual(expect.arrayContaining(['keylab', `keylab-scenario-${key}`]));

  // The backup handed out is a real .p12.
  const download = page.waitForEvent('download');
  await page.getByTestId('handout').getByRole('button', { name: /Download/ }).click();
  expect((await download).suggestedFilename()).toMatch(/\.p12$/);

  await lab.select('db-01');
  await page.reload();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await lab.expectHeading('db-01');
  await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
  await expect(page.getByTestId('handout')).toBeVisible();

  await lab.open();
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  await expect(lab.treeItem('vCenter Server (destroyed)')).toHaveCount(0);
});

test('a broken link says what is wrong and changes nothing', async ({ page }) => {
  const lab = new LabPage(page);
  await page.goto('/');
  await lab.clearStorage();
  const good = await scenarioUrl();
  const before = await databases(page);

  await page.goto(good.slice(0, good.length - 40));
  await expect(page.getByTestId('link-problem')).toContainText('This link is cut off');
  await expect(page.getByText('Nothing in this browser was changed')).toBeVisible();
  await shotsOfScreen(page, 'scenario-broken');

  const data = good.split('s=')[1]!;
  const flipped = data.slice(0, 30) + (data[30] === 'A' ? 'B' : 'A') + data.slice(31);
  await page.goto(`/scenario#s=${flipped}`);
  await expect(page.getByTestId('link-problem')).toContainText(/damaged|changed after it was made|cut off/);
  await page.goto('/scenario#hello');
  await expect(page.getByTestId('link-problem')).toContainText('This is not a scenario link');
  expect(await databases(page)).toEqual(before);
});

test('opening the link again with progress made asks first: continue keeps it, start over offers the lab first', async ({ page }) => {
  const lab = new LabPage(page);
  await page.goto('/');
  await lab.clearStorage();
  const url = await scenarioUrl('learner-7');
  await openScenario(page, url);
  await expect(page.getByTestId('learner-seed')).toHaveText('learner-7');
  await lab.deployNewVcenter();
  await expect(lab.treeItem('vCenter Server (destroyed)')).toHaveCount(0);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 720 });
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      await page.waitForTimeout(600);
      await page.screenshot({ path: `/tmp/shots/scenario-lab-${width}-${theme}.png` });
      if (width === 1280) await expectNoAxeViolations(page, `a scenario lab, ${theme}`);
    }
    await lab.setTheme('light');
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto('/');
  await page.goto(url);
  const ask = page.getByTestId('ask-first');
  await expect(ask).toContainText('You began this scenario in this browser');
  await page.getByRole('button', { name: 'Start over…' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the current lab' }).click();
  expect((await download).suggestedFilename()).toMatch(/^keylab-scenario-lab-.*\.json$/);
  await shotsOfScreen(page, 'scenario-ask');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Continue where I left off' }).click();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await expect(lab.treeItem('vCenter Server (destroyed)')).toHaveCount(0);

  await page.goto('/');
  await page.goto(url);
  await page.getByRole('button', { name: 'Start over…' }).click();
  await page.getByRole('button', { name: 'Start over', exact: true }).click();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
});

test('a scenario file opens the same way, and a bad one is named', async ({ page }) => {
  const lab = new LabPage(page);
  await page.goto('/');
  await lab.clearStorage();
  await page.goto('/scenario');
  await expect(page.getByRole('heading', { name: 'Open a scenario' })).toBeVisible();
  await expectNoAxeViolations(page, 'the scenario page without a link');
  const input = page.getByTestId('scenario-file-input');
  await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 9}') });
  await expect(page.getByTestId('scenario-file-problem')).toContainText('newer keylab (format version 9)');
  await input.setInputFiles({ name: 'doomsday.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doomsdayInput())) });
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('scenario-briefing')).toContainText('vCenter is gone');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download scenario file' }).click();
  expect((await download).suggestedFilename()).toBe('keylab-scenario-vcenter-is-gone.json');
});

test('mutated links fed to the page: each is refused cleanly or opens a valid lab, nothing escapes, the sandbox is untouched', async ({ page }) => {
  test.setTimeout(300_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const good = (await scenarioUrl()).split('#')[1]!;
  const mutate = linkMutator(7);
  const outcomes: Record<string, number> = {};
  const N = 150;
  for (let i = 0; i < N; i++) {
    await page.goto('about:blank');
    await page.goto(`/scenario#${mutate(good)}`);
    const shown = page.getByTestId('link-problem').or(page.getByTestId('workspace')).or(page.getByTestId('ask-first'));
    await expect(shown).toBeVisible({ timeout: OPEN_TIMEOUT });
    const what = (await page.getByTestId('link-problem').isVisible()) ? 'refused' : (await page.getByTestId('workspace').isVisible()) ? 'opened' : 'asked';
    outcomes[what] = (outcomes[what] ?? 0) + 1;
    if (what === 'refused') await expect(page.getByTestId('link-problem')).not.toContainText(/TypeError|SyntaxError|undefined|\[object/);
  }
  console.log(`page fuzz: ${N} mutated links: ${JSON.stringify(outcomes)}`);
  expect(errors).toEqual([]);
  await lab.open();
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  await expect(lab.treeItem('vCenter Server (destroyed)')).toHaveCount(0);
});

test('the builder: a world with faults and an NKP, its problems named, then opened in a lab from its link', async ({ page }) => {
  const lab = new LabPage(page);
  await page.goto('/');
  await lab.clearStorage();
  await page.goto('/scenario/builder');
  await expect(page.getByRole('heading', { name: 'Scenario builder' })).toBeVisible();
  await expect(page.getByTestId('builder-link-length')).toContainText(/its link is \d+ characters long/);

  const vms = page.getByRole('list', { name: 'VMs' });
  await vms.getByLabel('Encryption').selectOption('native');
  await expect(page.getByTestId('builder-problems')).toContainText('VM db-01 is to be encrypted with the Native Key Provider: add one first');
  await expect(page.getByRole('button', { name: 'Open in a lab' })).toBeDisabled();

  await page.getByLabel('Add a Native Key Provider in the start').check();
  await page.getByLabel('Title').fill('NKP and a lost vCenter');
  await page.getByLabel('Briefing').fill('vCenter is gone; db-01 runs on NKP-1. Its backup is yours.');
  await page.getByLabel('vCenter at the start').selectOption('destroyed');
  await page.getByRole('list', { name: 'KMS nodes' }).getByLabel('At the start').nth(1).selectOption('hung');
  await expect(page.getByTestId('builder-link-length')).toBeVisible();
  await shotsOfScreen(page, 'scenario-builder');

  await page.getByRole('button', { name: 'Open in a lab' }).click();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('scenario-briefing')).toContainText('NKP and a lost vCenter');
  await expect(page.getByTestId('handout')).toContainText('NKP-1');
  await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
  await lab.select('db-01');
  await expect(lab.main).toContainText('NKP-1');
});
