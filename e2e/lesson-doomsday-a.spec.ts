// Lesson 3 (doomsday A) as a learner takes it: download last week's .p12 from the panel, predict, destroy vCenter,
// deploy a new one, restore NKP-Prod from the file, add the hosts back, predict and reboot a host, power its VM on;
// every step ticks from the lab's state and the lesson ends on its summary with the proof (all files read back).
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 3: doomsday A, end to end', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-a');

  // The handout: the real backup and its password.
  await expect(lab.handout).toContainText('The backup from last week');
  const { file: p12, password } = await lab.downloadHandout();
  expect(password.length).toBeGreaterThan(12);
  expect(basename(p12)).toMatch(/^NKP-Prod_.*\.p12$/);

  // 1. Predict, then destroy vCenter.
  await lab.predict({ 'db-01 (encrypted)': 'Keeps running', 'web-01 (encrypted)': 'Keeps running, but locked', 'app-01': 'Keeps running' });
  await lab.destroyVcenter();
  await lab.expectStep('lose-vcenter', 'done');
  const observed = lab.step('lose-vcenter').getByTestId('prediction-result');
  await expect(observed).toContainText('2 of 3 right');
  await expect(observed).toContainText('holds its KEK in memory');

  // 2. Deploy a new vCenter.
  await lab.deployNewVcenter();
  await lab.expectStep('deploy', 'done');

  // 3. Restore NKP-Prod from the downloaded .p12.
  await lab.keyProviders.restore('NKP-Prod', p12, password);
  await lab.expectStep('restore-nkp', 'done');

  // 4. Add the hosts back: the key database refills from their memory.
  await lab.goTo('#/vcenter');
  for (const host of ['esx-01', 'esx-02', 'esx-03']) {
    await lab.main.getByRole('button', { name: `Add ${host}.lab.local to Cluster-01` }).click();
  }
  await lab.expectStep('re-add-hosts', 'done');
  await page.getByTestId('side-dock').getByRole('tab', { name: 'Recovery status' }).click();
  const recovery = page.getByTestId('recovery-status');
  await expect(recovery.locator('li[data-vm="db-01"]')).toContainText('In vCenter’s key databaseYes');
  await expect(recovery.locator('li[data-at-risk="true"]')).toHaveCount(0);
  await page.getByTestId('side-dock').getByRole('tab', { name: 'Lesson' }).click();

  // 5. Predict, reboot esx-01, power db-01 on.
  await lab.predict({ 'db-01': 'Runs (powered on again, or never stopped)', 'web-01': 'Runs (powered on again, or never stopped)' });
  await lab.goTo('#/host/esx-01');
  await lab.runAction('Reboot');
  await lab.goTo('#/vm/db-01');
  await lab.runOk('Power on');
  await lab.expectStep('reboot-host', 'done');

  // Steps done, predictions right; every guest file read back.
  await lab.expectSummary({ score: ['5 of 5', '4 of 5'], proof: ['db-01/customers.csv', 'db-01/orders.txt', 'web-01/index.html'] });
});
