// Lesson 8 as a learner takes it: the .p12 comes without its password (a guess is refused), vault-01 cannot start,
// ledger-01's key is destroyed on the KMS and, once its host reboots, it cannot start either; the lesson ends on its
// summary with the proof that no key in the lab opens either disk.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 8: the traps, end to end', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('the-traps');

  await expect(lab.handout.getByTestId('handout-password')).toHaveText('Lost: nobody wrote it down');
  const { file: p12 } = await lab.downloadHandout();

  // 1. A guess is refused: the file fails its check without the password.
  const restore = await lab.keyProviders.submitRestore(p12, 'Summer2024!');
  await expect(restore.locator('[data-result="refused"]')).toBeVisible();
  await restore.getByRole('button', { name: /Cancel|Close/ }).first().click();
  await lab.expectStep('try-backup', 'done');

  // 2. vault-01 cannot start.
  await lab.predict({ 'vault-01': 'Never: the KDK is gone' });
  await lab.goTo('#/vm/vault-01');
  await lab.runRefused('Power on');
  await lab.expectStep('vault-locked', 'done');

  // 3. Destroy ledger-01's key on kms-a.
  await lab.predict({ 'ledger-01': 'Keeps running' });
  await lab.goTo('#/kms/kms-a');
  await lab.main.getByRole('row', { name: /ledger-01/ }).getByRole('button', { name: /^Destroy key/ }).click();
  await lab.dialog(/^Destroy key/).getByRole('button', { name: 'Destroy key', exact: true }).click();
  await lab.expectStep('destroy-key', 'done');

  // 4. Reboot esx-01: ledger-01 can never start again.
  await lab.predict({ 'ledger-01': 'Cannot power on, ever' });
  await lab.goTo('#/host/esx-01');
  await lab.runOk('Reboot');
  await lab.goTo('#/vm/ledger-01');
  await lab.runRefused('Power on', 'KeyStateMissingInKMS');
  await lab.expectStep('reboot-host', 'done');

  await lab.expectSummary({ proof: ['no key the lab holds opens these disks'] });
});
