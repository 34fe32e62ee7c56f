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
    expect((await lab.runAction('Reboot')).ok).toBe(true);
  }
  await lab.expectStep('reboot-both', 'done');
  await expect(lab.step('reboot-both').getByTestId('prediction-result')).toContainText('3 of 3 right');

  for (const vm of ['fin-01', 'print-01']) {
    await lab.goTo(`#/vm/${vm}`);
    expect((await lab.runAction('Power on')).ok).toBe(true);
  }
  await lab.goTo('#/vm/hr-01');
  const refused = await lab.runAction('Power on');
  expect(refused.ok).toBe(false);
  expect(refused.text).toContain('KeyStateMissingInCache');
  await lab.expectStep('power-on', 'done');

  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Start vCenter' }).click();
  await lab.goTo('#/vm/hr-01');
  expect((await lab.runAction('Unlock VM')).ok).toBe(true);
  expect((await lab.runAction('Power on')).ok).toBe(true);
  await lab.expectStep('vcenter-back', 'done');

  await expect(lab.summary).toBeVisible();
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('4 of 4');
  await lab.expectProofOk();
  await lab.summary.scrollIntoViewIfNeeded();
  await lab.shot('lesson-tpm-or-not-summary');
  await lab.expectPanelAccessible('tpm-or-not summary');
});
