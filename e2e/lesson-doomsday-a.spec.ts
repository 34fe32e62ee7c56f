// Lesson 3 (doomsday A) as a learner takes it: download last week's .p12 from the panel, predict, destroy vCenter,
// deploy a new one, restore NKP-Prod from the file, add the hosts back, predict and reboot a host, power its VM on;
// every step ticks from the lab's state and the lesson ends on its summary with the proof (all files read back).
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 3: doomsday A, end to end', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-a');

  // The handout: the real backup and its password.
  const handout = lab.panel.getByTestId('handout');
  await expect(handout).toContainText('The backup from last week');
  const password = (await handout.getByTestId('handout-password').innerText()).trim();
  expect(password.length).toBeGreaterThan(12);
  const downloading = page.waitForEvent('download');
  await handout.getByRole('button', { name: /^Download/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^NKP-Prod_.*\.p12$/);
  const p12 = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(p12);

  // 1. Predict, then destroy vCenter.
  await lab.predict({ 'db-01 (encrypted)': 'Keeps running', 'web-01 (encrypted)': 'Keeps running, but locked', 'app-01': 'Keeps running' });
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
  await lab.dialog('Destroy vCenter Server?').getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
  await lab.expectStep('lose-vcenter', 'done');
  const observed = lab.step('lose-vcenter').getByTestId('prediction-result');
  await expect(observed).toContainText('2 of 3 right');
  await expect(observed).toContainText('holds its KEK in memory');

  // 2. Deploy a new vCenter.
  await lab.main.getByRole('button', { name: 'Deploy new vCenter' }).click();
  await lab.expectStep('deploy', 'done');

  // 3. Restore NKP-Prod from the downloaded .p12.
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
  const restore = lab.dialog(/Restore Native Key Provider/);
  await restore.getByLabel('Backup file (.p12)').setInputFiles(p12);
  await restore.getByLabel('Password').fill(password);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
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
  const on = await lab.runAction('Power on');
  expect(on.ok).toBe(true);
  await lab.expectStep('reboot-host', 'done');

  await expect(lab.summary).toBeVisible();
  await lab.expectProofOk();
  for (const file of ['db-01/customers.csv', 'db-01/orders.txt', 'web-01/index.html']) await expect(lab.summary.getByTestId('proof')).toContainText(file);
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('5 of 5');
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('4 of 5'); // predictions right
  await lab.summary.scrollIntoViewIfNeeded();
  await lab.shot('lesson-doomsday-a-summary-light');
  await lab.expectPanelAccessible('doomsday A summary');
});
