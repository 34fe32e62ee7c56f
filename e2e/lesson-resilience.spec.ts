// A lesson is never a dead end and never keeps running behind the learner's back: a damaged lesson lab (or a page that
// fails while it is drawn) shows the lesson's own error screen with Try again, Restart lesson… and Back to lessons,
// touching nothing else; leaving a lesson for the home page closes it (lab stopped, its Web Lock let go) and coming
// back opens it where the learner left it.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './pages/lab-page';
import { LessonPage } from './pages/lesson-page';

const LESSON = 'nkp-setup';
const LOCK = `keylab-lesson:${LESSON}`;
const RAW = /Cannot read properties|undefined|JSON|position \d|Invalid input|This page couldn/;

/** The lesson opened fresh, its first step done by hand, so there is progress that must be kept. */
async function lessonWithFirstStepDone(page: Page): Promise<LessonPage> {
  const lab = new LessonPage(page);
  await lab.openLessonFresh(LESSON);
  await lab.keyProviders.addNative('NKP-1');
  await lab.expectStep('add-nkp', 'done');
  return lab;
}

test('a damaged lesson lab: the lesson’s error screen, and Restart lesson brings the lesson back with the sandbox untouched', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  // The sandbox first, so there is a sandbox lab that must come through unchanged.
  await lab.openFresh();
  await page.goto('/');
  const sandboxBefore = await lab.savedLabRecord('keylab', 'default');
  expect(sandboxBefore).not.toBeNull();

  await lab.openLesson(LESSON);
  await lab.keyProviders.addNative('NKP-1');
  await lab.expectStep('add-nkp', 'done');
  await page.goto('/');
  await lab.spoilSavedLesson(LESSON);
  await page.goto(`/lab?lesson=${LESSON}`);

  const screen = page.locator('main');
  await expect(page.getByRole('heading', { name: 'The lesson could not be opened' })).toBeVisible({ timeout: 30_000 });
  await expect(screen.getByRole('alert')).toContainText('The saved lab is damaged');
  await expect(screen.getByRole('alert')).toContainText('Restart the lesson');
  await expect(page.getByRole('list', { name: 'What is wrong' })).toContainText('The lab record is not complete');
  await expect(screen).not.toContainText(RAW);
  await expect(screen.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(screen.getByRole('button', { name: 'Restart lesson…' })).toBeVisible();
  await expect(screen.getByRole('link', { name: 'Back to lessons' })).toHaveAttribute('href', '/');
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    await page.waitForTimeout(600); // colour transitions over, so the shot shows what axe measures
    await lab.shot(`lesson-error-${theme}`);
    await expectNoAxeViolations(page, `the lesson's error screen (${theme})`);
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));

  // Try again opens the record again: still damaged, so the screen stays, saying the same.
  await screen.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'The lesson could not be opened' })).toBeVisible({ timeout: 30_000 });

  // Restart lesson asks first, then gives a working lesson from its first step (progress reset with the lab).
  await screen.getByRole('button', { name: 'Restart lesson…' }).click();
  await lab.dialog('Restart the lesson?').getByRole('button', { name: 'Restart lesson', exact: true }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('add-nkp', 'current');
  await expect(lab.tree).not.toContainText('NKP-1');
  await lab.keyProviders.addNative('NKP-1');
  await lab.expectStep('add-nkp', 'done');

  // Nothing else was touched: the sandbox's saved lab is as it was, and it opens.
  await page.goto('/');
  expect(await lab.savedLabRecord('keylab', 'default')).toBe(sandboxBefore);
  await lab.open();
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
});

test('a lesson page that fails while it is drawn: the lesson’s error screen, and Try again brings it back as it was', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = await lessonWithFirstStepDone(page);
  const mend = await lab.breakDrawing();
  await expect(page.getByRole('heading', { name: 'The lesson could not be shown' })).toBeVisible({ timeout: 10_000 });
  await mend();
  await expect(page.locator('main')).not.toContainText(RAW);
  await expect(page.getByRole('link', { name: 'Back to lessons' })).toBeVisible();
  await page.getByRole('button', { name: 'Try again' }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('add-nkp', 'done');
  await expect(lab.tree).toContainText('NKP-1');
});

test('leaving a lesson for home closes it, and coming back opens it where it was', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = await lessonWithFirstStepDone(page);
  expect(await lab.heldLocks()).toContain(LOCK);
  await lab.step('back-up').getByRole('button', { name: 'Show me' }).click();
  await lab.expectStep('back-up', 'shown');

  // A mark on the window proves the navigation stayed client-side (a reload would let go of everything anyway).
  await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
  await lab.goHome();
  await expect.poll(() => lab.heldLocks(), { message: 'no lock held for the lesson while on home' }).not.toContain(LOCK);
  const catalogue = page.getByTestId('catalogue');
  await expect(catalogue.locator(`li[data-lesson="${LESSON}"]`).getByTestId('lesson-status')).toHaveText('In progress: 2 of 5 steps');

  await catalogue.locator(`li[data-lesson="${LESSON}"]`).getByRole('link', { name: /^Continue lesson 1/ }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
  await lab.expectStep('add-nkp', 'done');
  await lab.expectStep('back-up', 'shown');
  await lab.expectStep('set-default', 'current');
  await expect(lab.tree).toContainText('NKP-1');
  expect(await lab.heldLocks()).toContain(LOCK);

  // Home and straight back (Back button) before the lesson had time to close: it still opens as it was, and works.
  await lab.goHome();
  await page.goBack();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('back-up', 'shown');
  await lab.step('set-default').getByRole('button', { name: 'Show me' }).click();
  await lab.expectStep('set-default', 'shown');
  await expect.poll(() => lab.heldLocks()).toContain(LOCK);
});

test('the workspace’s code fails to load: the lesson’s error screen, and Try again, once it loads, opens the lesson as it was', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = await lessonWithFirstStepDone(page);
  // A network that drops the workspace's chunk (found by a class only the workspace's layout has), as a flaky
  // connection or a deploy in between would.
  let blocked = true;
  await page.route('**/_next/static/chunks/*.js', async (route) => {
    const response = await route.fetch();
    if (blocked && (await response.text()).includes('h-screen min-h-[600px]')) await route.abort('failed');
    else await route.fulfill({ response });
  });
  await page.goto(`/lab?lesson=${LESSON}`);
  // The open fails (not the drawing, whose failed chunk React would keep): Try again can then fetch it anew.
  await expect(page.getByRole('heading', { name: 'The lesson could not be opened' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('main').getByRole('alert')).toContainText('Try again');
  await expect(page.locator('main')).not.toContainText(RAW);
  blocked = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('add-nkp', 'done');
});

/** Overwrites a lesson's progress record with one this keylab cannot read, as a damaged disk would leave it. */
async function spoilProgress(page: Page, lessonId: string) {
  await page.evaluate(
    (lessonId) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(`keylab-lesson-${lessonId}`);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction('lessonProgress', 'readwrite');
          tx.objectStore('lessonProgress').put({ lessonId, progress: { format: 1, lessonId, steps: 'cut sho' }, savedAt: Date.now() });
          tx.oncomplete = () => {
            req.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    lessonId,
  );
}

test('a damaged progress record: the lesson says what was lost, offers what is there, and starts again only when asked', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = await lessonWithFirstStepDone(page);
  await lab.goHome();
  await expect.poll(() => lab.heldLocks()).not.toContain(LOCK);
  const labBefore = await lab.savedLabRecord(`keylab-lesson-${LESSON}`, `lesson-${LESSON}`);
  await spoilProgress(page, LESSON);
  await page.goto(`/lab?lesson=${LESSON}`);

  const screen = page.locator('main');
  await expect(page.getByRole('heading', { name: 'Part of this lesson’s saved state is lost' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'What is wrong' })).toContainText('Your progress in this lesson');
  await expect(page.getByRole('list', { name: 'What is wrong' })).toContainText('damaged');
  await expect(screen.getByRole('alert')).toContainText('Still stored in this browser: the lesson’s saved lab');
  await expect(screen).not.toContainText(RAW);
  // Nothing was thrown away by opening it.
  expect(await lab.savedLabRecord(`keylab-lesson-${LESSON}`, `lesson-${LESSON}`)).toBe(labBefore);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    await page.waitForTimeout(600);
    await lab.shot(`lux-lesson-record-lost-${theme}`);
    await expectNoAxeViolations(page, `the lesson's lost-record screen (${theme})`);
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));

  // Download what is there: the lab record as it was and the progress as stored.
  const downloading = page.waitForEvent('download');
  await screen.getByRole('button', { name: 'Download what is there' }).click();
  const download = await downloading;
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { lessonId: string; savedLabs: { snapshotJson: string }[]; lessonProgress: unknown };
  expect(saved.lessonId).toBe(LESSON);
  expect(saved.savedLabs.map((r) => r.snapshotJson)).toContain(labBefore);
  expect(saved.lessonProgress).toEqual({ format: 1, lessonId: LESSON, steps: 'cut sho' });

  // Start again: asks first, then a fresh lesson from its first step.
  await screen.getByRole('button', { name: 'Start the lesson again…' }).click();
  await lab.dialog('Restart the lesson?').getByRole('button', { name: 'Restart lesson', exact: true }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('add-nkp', 'current');
  await expect(lab.tree).not.toContainText('NKP-1');
});
