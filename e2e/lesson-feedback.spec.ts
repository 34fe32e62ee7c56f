// Feedback that teaches: a wrong step is not ticked and its misconception is named (never just "not solved"); a
// skipped step is not ticked as done; hints open one at a time; progress survives a reload; restart starts over.
import { expect, test } from '@playwright/test';
import { TPM_ONLY } from './pages/key-providers';
import { expectNoAxeViolations } from './pages/lab-page';
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

test('an unknown lesson link says there is no such lesson, lists the lessons, and makes no database', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LessonPage(page);
  await page.goto('/');
  await lab.clearStorage();
  for (const id of ['x', '../', '%00', '__proto__', 'constructor', 'toString']) {
    await page.goto(`/lab?lesson=${id}`);
    await expect(page.getByRole('heading', { name: 'There is no such lesson' }), id).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('main').getByRole('alert')).toContainText('has no lesson by that name');
    await expect(page.locator('main')).not.toContainText('stopped the lesson');
    const links = page.getByTestId('lesson-links').getByRole('link');
    await expect(links.first()).toHaveAttribute('href', '/lab?lesson=nkp-setup');
    expect(await links.count()).toBeGreaterThanOrEqual(8);
  }
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(names.filter((n) => n?.startsWith('keylab-lesson-'))).toEqual([]);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle('dark', t === 'dark'), theme);
    await page.waitForTimeout(600);
    await lab.shot(`lux-no-such-lesson-${theme}`);
    await expectNoAxeViolations(page, `the no-such-lesson screen (${theme})`);
  }
  await page.getByTestId('lesson-links').getByRole('link', { name: /Lesson 1:/ }).click();
  await lab.waitReady();
  await expect(lab.panel).toBeVisible({ timeout: 30_000 });
});

test('hints run out with a reason, predictions read plainly, and the openssl command names the real backup file', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');
  const first = lab.step('add-nkp');
  await first.getByRole('button', { name: 'Show a hint' }).click();
  const spent = first.getByRole('button', { name: 'No more hints' });
  for (let i = 0; i < 5 && !(await spent.isVisible()); i++) await first.getByRole('button', { name: /^Next hint \(\d+ left\)$/ }).click();
  await expect(spent).toHaveAttribute('aria-disabled', 'true');
  await expect(first).toContainText(/(All \d+ hints are|Its one hint is) shown above; “Show me” does the step for you\./);
  const shown = await first.getByRole('list', { name: 'Hints' }).getByRole('listitem').count();
  await spent.click({ force: true });
  await expect(first.getByRole('list', { name: 'Hints' }).getByRole('listitem')).toHaveCount(shown);
  await lab.keyProviders.addNative('NKP-1');
  await lab.expectStep('add-nkp', 'done');

  // The backup's prediction, every host given the first choice: each compared in plain words, the choice quoted.
  const form = lab.panel.getByTestId('prediction-form');
  for (const group of await form.getByRole('group').all()) await group.getByRole('radio').first().check();
  const firstChoice = (await form.getByRole('group').first().locator('label').first().innerText()).trim();
  await form.getByRole('button', { name: 'Record my prediction' }).click();
  await lab.keyProviders.backUp('NKP-1', 'correct horse battery staple');
  await lab.expectStep('back-up', 'done');
  const result = lab.step('back-up').getByTestId('prediction-result');
  await expect(result).toContainText(/Your prediction: \d of \d right/);
  await expect(result.getByRole('listitem').first()).toContainText(`You predicted: “${firstChoice}”. What happened: “`);
  await expect(result).not.toContainText('you said');

  // The openssl command names the file just downloaded, not <key-id>.
  const terminal = lab.step('set-default').getByTestId('terminal');
  await expect(terminal).toContainText(/openssl pkcs12 -info -nodes -in NKP-1_[0-9a-f-]{36}\.p12/);
  await expect(terminal).not.toContainText('<key-id>');
  await lab.shotInBothThemes(lab.step('back-up'), 'lux-prediction-result', 'prediction result');
});

test('the backup step takes a passphrase the meter calls Strong, and names one it calls Fair', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');
  await lab.keyProviders.addNative('NKP-1');
  await lab.expectStep('add-nkp', 'done');
  await lab.goTo('#/providers');
  await lab.keyProviders.card('NKP-1').getByRole('button', { name: 'Back up NKP-1…' }).click();
  const dialog = lab.dialog(/Back up Native Key Provider/);
  const meter = dialog.getByTestId('password-strength');
  await dialog.getByLabel('Password', { exact: true }).fill('Tr0ub4dor&3xyz');
  await expect(meter).toHaveAttribute('data-level', 'fair', { timeout: 20_000 });
  await expect(meter).toContainText('Fair');
  await dialog.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await expect(meter).toHaveAttribute('data-level', 'strong');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Backed up with the Fair one: the step says why it is not enough; backed up again with four words, it passes.
  await lab.keyProviders.backUp('NKP-1', 'Tr0ub4dor&3xyz');
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'weak-backup-password', { timeout: 20_000 });
  await expect(lab.misconception).toContainText('rates Fair');
  await lab.expectStep('back-up', 'current');
  await lab.shotInBothThemes(lab.misconception, 'lux-weak-backup-password', 'weak backup password');
  await lab.keyProviders.backUp('NKP-1', 'correct horse battery staple');
  await lab.expectStep('back-up', 'done');
});

test('after vCenter is redeployed, Key Providers leads with Restore from backup, not Add Native Key Provider', async ({ page }) => {
  test.setTimeout(150_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-b');
  await lab.deployNewVcenter();
  await lab.expectStep('deploy', 'done');
  await lab.goTo('#/providers');
  const add = lab.main.getByRole('group', { name: 'Add a key provider' });
  await expect(lab.main.getByTestId('restore-advice')).toContainText('Add > Restore from backup brings it back with its KDK');
  const restore = lab.main.getByRole('button', { name: 'Restore from backup…' });
  const addNative = lab.main.getByRole('button', { name: 'Add Native Key Provider…' });
  await expect(restore).toHaveClass(/bg-blue-7/);
  await expect(addNative).not.toHaveClass(/bg-blue-7/);
  expect((await restore.boundingBox())!.x).toBeLessThan((await addNative.boundingBox())!.x);
  await expect(add).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await lab.setTheme(theme);
    await lab.shot(`lux-providers-restore-first-${theme}`);
    await expectNoAxeViolations(page, `Key Providers after a redeploy (${theme})`);
  }
  await lab.setTheme('light');
  // Restored, the page goes back to its everyday order.
  const { file, password } = await lab.downloadHandout();
  await lab.keyProviders.restore('NKP-1', file, password);
  await lab.expectStep('restore', 'done');
  await expect(lab.main.getByTestId('restore-advice')).toHaveCount(0);
  await expect(lab.main.getByRole('button', { name: 'Add Native Key Provider…' })).toHaveClass(/bg-blue-7/);
});
