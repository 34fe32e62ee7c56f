// Feedback that teaches: a wrong step is not ticked and its misconception is named (never just "not solved"); a
// skipped step is not ticked as done; hints open one at a time; progress survives a reload; restart starts over.
import { expect, test } from '@playwright/test';
import { TPM_ONLY } from './pages/key-providers';
import { LessonPage } from './pages/lesson-page';

test('a wrong or skipped step is not ticked, and the misconception is named', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');

  // A standard provider where a Native Key Provider was asked for: the step stays open and says why.
  await lab.keyProviders.addStandard('My-NKP', 'kms-a');
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'standard-not-native');
  await expect(lab.misconception).toContainText('external KMS');
  await lab.expectStep('add-nkp', 'current');
  await lab.shotInBothThemes(lab.misconception, 'lesson-misconception', 'misconception');

  // Hints open one at a time.
  const step = lab.step('add-nkp');
  await step.getByRole('button', { name: 'Show a hint' }).click();
  await expect(step.getByRole('list', { name: 'Hints' }).getByRole('listitem')).toHaveCount(1);

  // Fix it: remove it and add a Native Key Provider (TPM-only ticked or not: both are right on this cluster).
  await lab.keyProviders.card('My-NKP').getByRole('button', { name: 'Remove My-NKP…' }).click();
  await lab.dialog(/Remove key provider My-NKP/).getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(lab.tree).not.toContainText('My-NKP');
  await lab.keyProviders.addNative('NKP-1', (add) => add.getByLabel(TPM_ONLY).check());
  await lab.expectStep('add-nkp', 'done');

  // Using it before the backup: the "added but not backed up" misconception.
  await lab.goTo('#/vm/web-01');
  await lab.main.getByLabel('Key provider for encryption').selectOption('NKP-1');
  await lab.runRefused('Encrypt');
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'not-backed-up-no-kdk');
  await expect(lab.misconception).toContainText('not backed up');
  await lab.expectStep('back-up', 'current');

  // Skipped: over, but not ticked as done, and it scores nothing.
  await lab.step('back-up').getByRole('button', { name: 'Skip step' }).click();
  await lab.expectStep('back-up', 'skipped');
  await lab.expectStep('set-default', 'current');

  // Progress survives a reload.
  await page.reload();
  await lab.waitReady();
  await lab.expectStep('add-nkp', 'done');
  await lab.expectStep('back-up', 'skipped');
  await expect(lab.step('add-nkp').getByRole('heading')).toContainText('(done)');

  // Restart: the lesson's lab and progress start over. One control does it, and it says so: the header has no
  // sandbox "Reset lab…" in a lesson.
  await expect(page.getByRole('button', { name: 'Reset lab…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Restart lesson…' })).toHaveCount(1);
  await lab.panel.getByRole('button', { name: 'Restart lesson…' }).click();
  await lab.dialog('Restart the lesson?').getByRole('button', { name: 'Restart lesson', exact: true }).click();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('add-nkp', 'current');
  await expect(lab.tree).not.toContainText('NKP-1');
});
