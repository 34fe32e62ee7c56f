// Lesson 4 (doomsday B) as a learner takes it: download the .p12 from the panel, deploy a new vCenter, restore NKP-1,
// add the surviving hosts, predict and register archive-01 from the datastore, power everything on; the lesson ends
// on its summary with every guest file read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 4: doomsday B, end to end', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-b');
  await lab.expectStep('deploy', 'current');

  const handout = lab.panel.getByTestId('handout');
  const password = (await handout.getByTestId('handout-password').innerText()).trim();
  expect(password).toBe('Quartz-Meadow-Lantern-42');
  const downloading = page.waitForEvent('download');
  await handout.getByRole('button', { name: /^Download/ }).click();
  const download = await downloading;
  const p12 = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(p12);

  // 1. A new, empty vCenter.
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Deploy new vCenter' }).click();
  await lab.expectStep('deploy', 'done');

  // 2. Restore NKP-1 from the file.
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
  const restore = lab.dialog(/Restore Native Key Provider/);
  await restore.getByLabel('Backup file (.p12)').setInputFiles(p12);
  await restore.getByLabel('Password').fill(password);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await lab.expectStep('restore', 'done');

  // 3. The two hosts that survived.
  await lab.goTo('#/vcenter');
  for (const host of ['esx-01', 'esx-02']) await lab.main.getByRole('button', { name: `Add ${host}.lab.local to Cluster-01` }).click();
  await lab.expectStep('add-hosts', 'done');

  // 4. Predict, then register archive-01 from the datastore.
  await lab.predict({ 'archive-01': 'From archive-01’s files (the key ID) and the restored KDK' });
  await lab.goTo('#/datastore/ds-shared-01');
  await lab.main.getByLabel('VM folder', { exact: true }).selectOption('archive-01');
  const registered = await lab.runAction('Register VM');
  expect(registered.ok, registered.text).toBe(true);
  await lab.expectStep('register', 'done');
  await expect(lab.step('register').getByTestId('prediction-result')).toContainText('1 of 1 right');

  // 5. Power on (unlocking any VM that is locked).
  for (const vm of ['db-01', 'web-01', 'archive-01']) {
    await lab.goTo(`#/vm/${vm}`);
    const unlock = lab.main.getByRole('button', { name: 'Unlock VM', exact: true });
    if ((await unlock.getAttribute('aria-disabled')) !== 'true') expect((await lab.runAction('Unlock VM')).ok).toBe(true);
    const on = await lab.runAction('Power on');
    expect(on.ok, on.text).toBe(true);
  }
  await lab.expectStep('power-on', 'done');

  await expect(lab.summary).toBeVisible();
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('5 of 5');
  await lab.expectProofOk();
  for (const file of ['db-01/customers.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt']) await expect(lab.summary.getByTestId('proof')).toContainText(file);
  await lab.summary.scrollIntoViewIfNeeded();
  await lab.shot('lesson-doomsday-b-summary');
  await lab.expectPanelAccessible('doomsday B summary');
});
