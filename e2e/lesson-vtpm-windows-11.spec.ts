// Lesson 12 (a vTPM for Windows 11) as a learner takes it: Add vTPM refused with no key provider; NKP-1 added with the
// TPM-only box ticked is named for esx-02 (no TPM 2.0), removed and added again without it; the vTPM added (VM home
// encrypted, disks not); win11-01 unregistered, registered from its folder and powered on; the summary shows its file.
import { expect, test } from '@playwright/test';
import { fact } from './pages/lab-page';
import { TPM_ONLY } from './pages/key-providers';
import { LessonPage } from './pages/lesson-page';

const PASSWORD = 'Basalt-Tulip-Harbor-Quartz-11';

test('lesson 12: a vTPM for a Windows 11 VM, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('vtpm-windows-11');
  await lab.expectStep('try-without-provider', 'current');

  // 1. Predict, then Add vTPM with no key provider: refused.
  await lab.predict({ 'win11-01': 'No: it needs a key provider' });
  await lab.goTo('#/vm/win11-01');
  await lab.runRefused('Add vTPM', /needs a key provider/);
  await lab.expectStep('try-without-provider', 'done');

  // 2. NKP-1 with the TPM-only box (the default) cannot serve esx-02: named. Removed, added again without it.
  await lab.keyProviders.addNative('NKP-1');
  await lab.keyProviders.backUp('NKP-1', PASSWORD);
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'tpm-only-host-without-tpm');
  await expect(lab.misconception).toContainText('TPM2 Device is Required');
  await lab.keyProviders.remove('NKP-1');
  await lab.keyProviders.addNative('NKP-1', (dialog) => dialog.getByLabel(TPM_ONLY).uncheck());
  await lab.keyProviders.backUp('NKP-1', PASSWORD);
  await lab.expectStep('add-provider', 'done');

  // 3. Predict, then add the vTPM: the VM home is encrypted, the disks are not.
  await lab.predict({ 'win11-01.nvram': 'Encrypted', 'win11-01-flat.vmdk': 'Not encrypted' });
  await lab.goTo('#/vm/win11-01');
  await lab.runOkAndExpectFact('Add vTPM', 'vTPM', /Present/);
  await expect(fact(lab.main, 'Encryption')).toContainText('VM home only, with NKP-1');
  await lab.expectStep('add-vtpm', 'done');
  await expect(lab.step('add-vtpm').getByTestId('prediction-result')).toContainText('2 of 2 right');

  // 4. Predict, unregister, register from its folder, power on: the vTPM comes back with the .nvram.
  await lab.predict({ 'Its vTPM': 'Comes back', 'Its VM home encryption': 'Comes back' });
  await lab.main.getByRole('button', { name: 'Unregister…' }).click();
  await lab.dialog('Unregister win11-01?').getByRole('button', { name: 'Unregister', exact: true }).click();
  expect((await lab.resultBeside(lab.main.getByRole('button', { name: 'Unregister…' }))).ok).toBe(true);
  await lab.vm.registerFromDatastore('win11-01');
  await lab.goTo('#/vm/win11-01');
  await lab.runOk('Power on');
  await lab.expectStep('restore-from-folder', 'done');

  await lab.expectSummary({ score: ['4 of 4'], proof: ['win11-01/thesis.txt'] });
  await lab.summaryShots();
});
