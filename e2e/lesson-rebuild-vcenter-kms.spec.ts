// Lesson 10 (rebuild vCenter with a standard provider) as a learner takes it: deploy a new vCenter, add the KMS cluster
// under another name first (named as the mistake it is), remove it and add KMS-Cluster over both nodes, predict and add
// the hosts, predict and reboot esx-01, start every VM; the summary shows every file read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 10: rebuild vCenter with a standard key provider, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('rebuild-vcenter-kms');
  await lab.expectStep('deploy', 'current');

  // 1. A new, empty vCenter.
  await lab.deployNewVcenter();
  await lab.expectStep('deploy', 'done');

  // 2. The wrong name first: named; then the provider under its own name, over both nodes.
  await lab.keyProviders.addStandardOver('KMS-New', ['kms-a', 'kms-b']);
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'other-provider-name');
  await expect(lab.misconception).toContainText('cannot be renamed');
  await lab.keyProviders.remove('KMS-New');
  await lab.keyProviders.addStandardOver('KMS-Cluster', ['kms-a', 'kms-b']);
  await lab.expectStep('add-kms-cluster', 'done');

  // 3. Predict, then add both hosts back.
  await lab.predict({ 'db-01': 'Keeps running', 'web-01': 'Keeps running', 'archive-01': 'Off, and can be powered on' });
  await lab.goTo('#/vcenter');
  for (const host of ['esx-01', 'esx-02']) {
    await lab.main.getByRole('button', { name: `Add ${host}.lab.local to Cluster-01` }).click();
  }
  await lab.expectStep('add-hosts', 'done');
  await expect(lab.step('add-hosts').getByTestId('prediction-result')).toContainText('3 of 3 right');

  // 4. archive-01 on; predict, reboot esx-01, db-01 on again: its KEK fetched from the KMS by its ID.
  await lab.goTo('#/vm/archive-01');
  await lab.runOk('Power on');
  await lab.predict({ 'db-01': 'Powers on: vCenter fetches its KEK again' });
  await lab.goTo('#/host/esx-01');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/db-01');
  await lab.runOk('Power on');
  await lab.expectStep('prove', 'done');
  await expect(lab.step('prove').getByTestId('prediction-result')).toContainText('asked KMS-Cluster for key');

  await lab.expectSummary({ score: ['4 of 4'], proof: ['db-01/customers.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt'] });
  await lab.summaryShots();
});
