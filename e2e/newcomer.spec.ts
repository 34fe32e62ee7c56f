// What a newcomer meets first: on the vCenter page the disaster drill (Destroy vCenter…) comes after the everyday
// actions, and a lesson panel opened on a wide window folds to its strip when the window narrows, so the object page
// keeps the width.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('the vCenter page lists Destroy vCenter… after the everyday actions', async ({ page }) => {
  const lab = new LessonPage(page);
  await lab.openFresh('#/vcenter');
  const actions = lab.main.getByRole('region', { name: 'Actions' }).getByRole('button');
  const names = await actions.allInnerTexts();
  expect(names.length).toBeGreaterThan(1);
  expect(names[0]).not.toContain('Destroy vCenter');
  expect(names[names.length - 1]).toContain('Destroy vCenter');
});

test('an open lesson panel folds when the window narrows, and the page keeps its width', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');
  await expect(lab.panel).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(lab.panel).toBeHidden();
  await expect(page.getByRole('button', { name: 'Show lesson' })).toBeVisible();
  const mainWidth = await lab.main.evaluate((el) => el.getBoundingClientRect().width);
  expect(mainWidth).toBeGreaterThan(300);
});
