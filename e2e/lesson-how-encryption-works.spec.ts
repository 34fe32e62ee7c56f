// Lesson 5 as a learner takes it: encrypt app-01 with the KMS, predict where its keys are, power it on and look at
// the key map and the disk sectors (ciphertext beside plaintext), predict and reboot the host, power on again and find
// the KEK fetched by its ID in the events; the lesson ends on its summary with the guest file read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 5: how VM encryption works, end to end', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('how-encryption-works');

  // 1. Power off and encrypt with KMS-Cluster.
  await lab.goTo('#/vm/app-01');
  expect((await lab.runAction('Power off')).ok).toBe(true);
  await lab.main.getByLabel('Key provider for encryption').selectOption('KMS-Cluster');
  const encrypted = await lab.runAction('Encrypt');
  expect(encrypted.ok, encrypted.text).toBe(true);
  await lab.expectStep('encrypt', 'done');

  // 2. Predict where each key is, power on, look at the key map and at the sectors.
  await lab.predict({
    'The KEK on the KMS nodes': 'The key itself',
    'The KEK in vCenter': 'Only its key ID',
    'The KEK in esx-01': 'The key itself',
    'The KEK in app-01': 'The key, wrapped by another key',
    'The DEK in app-01': 'The key, wrapped by another key',
    'The DEK in esx-01': 'The key itself',
  });
  expect((await lab.runAction('Power on')).ok).toBe(true);
  await lab.expectStep('follow-keys', 'done');
  await expect(lab.step('follow-keys').getByTestId('prediction-result')).toContainText('5 of 6 right');
  await lab.main.getByRole('tab', { name: 'Disk sectors' }).click();
  await expect(lab.main.getByTestId('sector-stored')).toBeVisible();
  await expect(lab.main.getByTestId('sector-plaintext')).toBeVisible();
  await expect(lab.main.getByTestId('sector-summary')).toContainText('encrypted (AES-256-GCM');
  await lab.goTo('#/keymap');
  await lab.shot('lesson-how-encryption-works-keymap');

  // 3. Predict, reboot esx-01, power app-01 on again: vCenter fetched the KEK by its ID.
  await lab.predict({ 'app-01': 'vCenter fetches it from the KMS by its key ID' });
  await lab.goTo('#/host/esx-01');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/app-01');
  expect((await lab.runAction('Power on')).ok).toBe(true);
  await lab.expectStep('reboot', 'done');
  await expect(lab.step('reboot').getByTestId('prediction-result')).toContainText('fetched key');

  await lab.expectSummary({ score: ['3 of 3'], proof: ['app-01/payroll.csv'] });
});
