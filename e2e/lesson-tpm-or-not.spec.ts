// Lesson 6 as a learner takes it: stop vCenter, predict, reboot the TPM host and the one without, power the VMs on
// from their hosts (hr-01 is refused), start vCenter and bring hr-01 back; the lesson ends with the files read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 6: TPM or not, end to end', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('tpm-or-not');

  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Stop vCenter' }).click();
  await lab.expectStep('stop-vcenter', 'done');

  await lab.predict({ 'fin-01': 'Can power on', 'hr-01': 'Cannot power on', 'print-01': 'Can power on' });
  for (const host of ['esx-01', 'esx-02']) {
    await lab.goTo(`#/host/${host}`);
    await lab.runOk('Reboot');
  }
  await lab.expectStep('reboot-both', 'done');
  await expect(lab.step('reboot-both').getByTestId('prediction-result')).toContainText('3 of 3 right');

  for (const vm of ['fin-01', 'print-01']) {
    await lab.goTo(`#/vm/${vm}`);
    await lab.runOk('Power on');
  }
  await lab.goTo('#/vm/hr-01');
  await lab.runRefused('Power on', 'KeyStateMissingInCache');
  await lab.expectStep('power-on', 'done');

  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Start vCenter' }).click();
  await lab.goTo('#/vm/hr-01');
  await lab.runOk('Unlock VM');
  await lab.runOk('Power on');
  await lab.expectStep('vcenter-back', 'done');

  await lab.expectSummary({ score: ['4 of 4'] });
});
