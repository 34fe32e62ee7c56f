// Lesson 4 (doomsday B) as a learner takes it: download the .p12 from the panel, deploy a new vCenter, restore NKP-1,
// add the surviving hosts, predict and register archive-01 from the datastore, power everything on; the lesson ends
// on its summary with every guest file read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 4: doomsday B, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-b');
  await lab.expectStep('deploy', 'current');

  const { file: p12, password } = await lab.downloadHandout();
  expect(password).toBe('Quartz-Meadow-Lantern-42');

  // 1. A new, empty vCenter.
  await lab.deployNewVcenter();
  await lab.expectStep('deploy', 'done');

  // 2. Restore NKP-1 from the file.
  await lab.keyProviders.restore('NKP-1', p12, password);
  await lab.expectStep('restore', 'done');

  // 3. The two hosts that survived.
  await lab.goTo('#/vcenter');
  for (const host of ['esx-01', 'esx-02']) await lab.main.getByRole('button', { name: `Add ${host}.lab.local to Cluster-01` }).click();
  await lab.expectStep('add-hosts', 'done');

  // 4. Predict, then register archive-01 from the datastore.
  await lab.predict({ 'archive-01': 'From archive-01’s files (the key ID) and the restored KDK' });
  await lab.vm.registerFromDatastore('archive-01');
  await lab.expectStep('register', 'done');
  await expect(lab.step('register').getByTestId('prediction-result')).toContainText('1 of 1 right');

  // 5. Power on (unlocking any VM that is locked).
  for (const vm of ['db-01', 'web-01', 'archive-01']) {
    await lab.goTo(`#/vm/${vm}`);
    const unlock = lab.main.getByRole('button', { name: 'Unlock VM', exact: true });
    if ((await unlock.getAttribute('aria-disabled')) !== 'true') await lab.runOk('Unlock VM');
    await lab.runOk('Power on');
  }
  await lab.expectStep('power-on', 'done');

  await lab.expectSummary({ score: ['5 of 5'], proof: ['db-01/customers.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt'] });
});

test('lesson 4, the wrong order: hosts added before the restore are named, then both of vSphere’s fixes unlock the VMs', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-b');
  const { file: p12, password } = await lab.downloadHandout();
  await lab.deployNewVcenter();

  // The hosts first: their VMs come in locked, before anyone powers them on.
  await lab.goTo('#/vcenter');
  for (const host of ['esx-01', 'esx-02']) await lab.runOk(`Add ${host}.lab.local to Cluster-01`);
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'joined-before-restore');
  await expect(lab.misconception).toContainText('Enable host encryption mode');
  await lab.expectStep('restore', 'current');

  await lab.keyProviders.restore('NKP-1', p12, password);
  await lab.expectStep('add-hosts', 'done');
  await lab.vm.registerFromDatastore('archive-01');
  await lab.expectStep('register', 'done');

  // Fix one: re-enable encryption mode on esx-01 (it unlocks db-01). Fix two: Unlock VM on web-01.
  await lab.goTo('#/host/esx-01');
  await lab.runOk('Enable host encryption mode');
  await lab.goTo('#/vm/web-01');
  await lab.runOk('Unlock VM');
  for (const vm of ['db-01', 'web-01', 'archive-01']) {
    await lab.goTo(`#/vm/${vm}`);
    await lab.runOk('Power on');
  }
  await lab.expectStep('power-on', 'done');
  await lab.expectSummary({ proof: ['db-01/customers.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt'] });
});
