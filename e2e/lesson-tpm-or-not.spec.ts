// Lesson 6 as a learner takes it: predict, stop vCenter, reboot the TPM host and the one without, power every VM on
// from its host (all start: the KDK is in each host's encrypted configuration), copy both boot disks as a thief would
// (the TPM-less one gives hr-01's file away, the TPM one nothing), keep esx-01's recovery key, clear its TPM (it stops
// at boot), refuse a wrong typed key, boot with the kept one and power fin-01 on; the lesson ends with the files read
// back. Screenshots of the copy's result and of the locked host, light and dark (at 1280 px; the copy's result at 390
// px too, once the lesson is over: resizing mid-lesson would fold the panel away).
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './pages/lab-page';
import { LessonPage } from './pages/lesson-page';

async function shots(lab: LessonPage, name: string, width = 1280) {
  for (const theme of ['light', 'dark'] as const) {
    await lab.setTheme(theme);
    await lab.shot(`host-config-${name}-${width}-${theme}`);
  }
  await lab.setTheme('light');
}

test('lesson 6: TPM or not, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('tpm-or-not');

  await lab.predict({ 'fin-01': 'Can power on', 'hr-01': 'Can power on', 'print-01': 'Can power on' });
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Stop vCenter' }).click();
  for (const host of ['esx-01', 'esx-02']) {
    await lab.goTo(`#/host/${host}`);
    await lab.runOk('Reboot');
  }
  await lab.expectStep('reboot-both', 'done');
  await expect(lab.step('reboot-both').getByTestId('prediction-result')).toContainText('3 of 3 right');
  // esx-02 has no TPM, and its KDK is back in RAM all the same, read from its configuration.
  await expect(lab.main.locator('section', { hasText: 'Keys in RAM' })).toContainText('NKP-1');

  for (const vm of ['fin-01', 'hr-01', 'print-01']) {
    await lab.goTo(`#/vm/${vm}`);
    await lab.runOk('Power on');
  }
  await lab.expectStep('power-on', 'done');

  await lab.predict({ 'esx-02.lab.local': 'The data comes out', 'esx-01.lab.local': 'Nothing comes out' });
  await lab.goTo('#/host/esx-02');
  await expect(lab.main.getByLabel('VM folder copied from the datastore')).toHaveValue('hr-01');
  await lab.runOk('Copy the boot disk');
  await expect(lab.main.getByTestId('boot-disk-copy-plaintext')).toContainText('Katherine Johnson, analyst');
  await lab.main.getByTestId('boot-disk-copy-result').scrollIntoViewIfNeeded();
  await shots(lab, 'copy-no-tpm');
  await expectNoAxeViolations(page, 'host page with a boot-disk copy');

  await lab.goTo('#/host/esx-01');
  await lab.runOk('Copy the boot disk');
  await expect(lab.main.getByTestId('boot-disk-copy-result')).toContainText('Nothing came out');
  await expect(lab.main.getByTestId('boot-disk-copy-plaintext')).toHaveCount(0);
  await lab.expectStep('copy-disks', 'done');
  await expect(lab.step('copy-disks').getByTestId('prediction-result')).toContainText('2 of 2 right');

  await lab.main.getByRole('button', { name: 'Run esxcli system settings encryption recovery list' }).click();
  await expect(lab.main.getByTestId('recovery-key-listing')).toContainText(/Recovery ID\s+Key\n-+\s+-+\n\{[0-9A-F-]{36}\}\s+(\d{6}-){15}\d{6}/);
  await lab.runOk('Keep the recovery key');
  await lab.expectStep('keep-recovery-key', 'done');

  await lab.runOk('Clear TPM');
  await expect(lab.main.getByText('Stopped at boot: awaiting recovery key')).toBeVisible();
  const recover = lab.main.getByRole('region', { name: 'Recover the configuration' });
  await recover.getByLabel('encryptionRecoveryKey=').fill(Array.from({ length: 16 }, () => '000011').join('-'));
  await lab.runRefused('Boot with this recovery key', 'Unable to recover the system configuration.', recover);
  await recover.scrollIntoViewIfNeeded();
  await shots(lab, 'locked-at-boot');
  await expectNoAxeViolations(page, 'host page stopped at boot');
  await lab.runOk('Boot with the kept recovery key', recover);
  await expect(lab.main.getByText('Stopped at boot: awaiting recovery key')).toHaveCount(0);
  await lab.goTo('#/vm/fin-01');
  await lab.runOk('Power on');
  await lab.expectStep('recover', 'done');

  await lab.expectSummary({ score: ['5 of 5'] });

  await page.setViewportSize({ width: 390, height: 844 });
  await lab.goTo('#/host/esx-02');
  await lab.main.getByTestId('boot-disk-copy-result').scrollIntoViewIfNeeded();
  await shots(lab, 'copy-no-tpm', 390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
