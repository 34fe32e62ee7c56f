// The home page: what keylab teaches and where to start; the lessons with goal, time and status; one click starts a
// lesson; its status follows (in progress, done with score); the sandbox stays available. axe clean.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('the catalogue lists the lessons, starts one in one click, and shows its status', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  await page.goto('/');
  await lab.clearStorage();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'New here? Start with lesson 1' })).toBeVisible();
  const catalogue = page.getByTestId('catalogue');
  await expect(catalogue.getByRole('listitem')).toHaveCount(12);
  const first = catalogue.locator('li[data-lesson="nkp-setup"]');
  await expect(first).toContainText('Set up the Native Key Provider');
  await expect(first).toContainText('About 12 min');
  await expect(first.getByTestId('lesson-status')).toHaveText('Not started');
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    const axe = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on home (${theme})`).toEqual([]);
  }
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await lab.shot('catalogue-light');

  // One click: the lesson opens in its own lab.
  await first.getByRole('link', { name: /Start lesson 1/ }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });

  // Show me, step after step, to the end.
  for (const step of ['add-nkp', 'back-up', 'set-default', 'meet-no-tpm', 'encrypt-vm']) {
    await lab.step(step).getByRole('button', { name: 'Show me' }).click();
    await lab.expectStep(step, 'shown');
  }
  await expect(lab.summary).toBeVisible();
  await expect(lab.panel.getByTestId('handout')).toContainText('NKP-1');
  // The summary leads on to lesson 2.
  await expect(lab.summary.getByTestId('next-lesson')).toHaveAttribute('href', '/lab?lesson=kms-to-nkp');
  await expect(lab.summary.getByTestId('next-lesson')).toContainText('Next lesson: 2.');
  await lab.shotInBothThemes(lab.summary.getByTestId('next-lesson'), 'lux-summary-next-lesson', 'the summary with its next lesson');

  await page.goto('/');
  await expect(catalogue.locator('li[data-lesson="nkp-setup"]').getByTestId('lesson-status')).toHaveText(/^Done: 0 of 5 steps unaided/);
  await expect(catalogue.locator('li[data-lesson="nkp-setup"]').getByRole('link')).toHaveText('Review');
  // Lesson 1 done: the home page no longer says "start with lesson 1" but offers lesson 2.
  const start = page.getByTestId('start-here');
  await expect(start.getByRole('heading')).toHaveText('Next: lesson 2, Migrate from a KMS to the Native Key Provider');
  await expect(start.getByRole('link', { name: 'Start lesson 2' })).toHaveAttribute('href', '/lab?lesson=kms-to-nkp');
  await expect(page.getByRole('heading', { name: 'New here? Start with lesson 1' })).toHaveCount(0);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    await page.waitForTimeout(600);
    await lab.shot(`lux-home-next-lesson-${theme}`);
    const axe = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on home with a next lesson (${theme})`).toEqual([]);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await lab.shot('lux-home-next-lesson-390-dark');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.evaluate(() => document.documentElement.classList.remove('dark'));

  // Restarting lesson 1 keeps its result: the home page shows the last attempt beside the new one.
  await catalogue.locator('li[data-lesson="nkp-setup"]').getByRole('link', { name: /^Review lesson 1/ }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.panel.getByRole('button', { name: 'Restart lesson…' }).click();
  await lab.dialog('Restart the lesson?').getByRole('button', { name: 'Restart lesson', exact: true }).click();
  await lab.expectStep('add-nkp', 'current');
  await page.goto('/');
  await expect(catalogue.locator('li[data-lesson="nkp-setup"]').getByTestId('lesson-status')).toHaveText(
    'In progress: 0 of 5 steps; last attempt: 0 of 5 steps unaided, 0 hints',
  );
  await expect(start.getByRole('link', { name: 'Continue lesson 1' })).toBeVisible();

  // Another lesson started shows as in progress; the sandbox is still there, its own lab.
  await catalogue.locator('li[data-lesson="doomsday-a"]').getByRole('link', { name: /Start lesson 3/ }).click();
  await expect(lab.panel).toBeVisible({ timeout: 45_000 });
  await page.goto('/');
  await expect(catalogue.locator('li[data-lesson="doomsday-a"]').getByTestId('lesson-status')).toHaveText('In progress: 0 of 5 steps');
  await page.getByRole('link', { name: 'Open the sandbox' }).click();
  await lab.waitReady();
  await expect(lab.tree).not.toContainText('NKP-1');
  // The first visit to the sandbox says where to start.
  const guide = page.getByTestId('where-to-start');
  await expect(guide).toBeVisible();
  await expect(guide.getByRole('link', { name: /lesson 1/ })).toHaveAttribute('href', '/lab?lesson=nkp-setup');
  await lab.shot('sandbox-first-visit-light');
  await lab.expectPanelAccessible('sandbox guide');
  await page.getByTestId('side-dock').getByRole('tab', { name: 'Recovery status' }).click();
  await expect(page.getByTestId('recovery-status')).toContainText('db-01');
  await lab.expectPanelAccessible('sandbox recovery status');
  // Later visits keep the guide folded away.
  await page.reload();
  await lab.waitReady();
  await expect(page.getByRole('button', { name: 'Show guide' })).toBeVisible();
});
