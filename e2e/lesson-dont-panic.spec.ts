// Lesson 9 (don't panic) as a learner takes it: predict, see app-01 refused (its host rebooted with the only KMS gone),
// power db-01 off "to be safe" and read the misconception, power it back on, set up NKP-Rescue (added, backed up,
// default), move the running VMs by one shallow re-key, reboot both hosts with no KMS and start the VMs; the summary
// shows the files read back.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 9: don’t panic, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('dont-panic');
  await lab.expectStep('see-app-01', 'current');

  // 1. Predict, then try app-01: locked, its KEK gone with esx-03's key cache.
  await lab.predict({ 'app-01': 'Locked: cannot power on', 'db-01': 'Runs (keeps running, or powers on)', 'web-01': 'Runs (keeps running, or powers on)' });
  await lab.goTo('#/vm/app-01');
  await lab.runRefused('Power on', /KeyStateClusterUnreachable/);
  await lab.expectStep('see-app-01', 'done');
  await expect(lab.step('see-app-01').getByTestId('prediction-result')).toContainText('3 of 3 right');

  // A wrong turn: db-01 powered off "to be safe" is named; powered on again, it starts (its key is still cached).
  await lab.goTo('#/vm/db-01');
  await lab.runOk('Power off');
  await expect(lab.misconception).toHaveAttribute('data-misconception', 'shut-down-first');
  await expect(lab.misconception).toContainText('powering a VM off drops no key');
  await lab.runOk('Power on');
  await expect(lab.misconception).toHaveCount(0);

  // 2. NKP-Rescue: added, backed up, default.
  await lab.keyProviders.addNative('NKP-Rescue');
  await lab.keyProviders.backUp('NKP-Rescue', 'Lantern-Quarry-Meadow-Orbit-42');
  await lab.keyProviders.setDefault('NKP-Rescue');
  await lab.expectStep('set-up-nkp', 'done');

  // 3. Predict, then one shallow re-key of both running VMs.
  await lab.predict({ 'db-01': 'Moves (new KEK from NKP-Rescue)', 'web-01': 'Moves (new KEK from NKP-Rescue)', 'app-01': 'Cannot move' });
  await lab.goTo('#/providers');
  const move = lab.main.getByRole('region', { name: 'Move VMs to a key provider' });
  await move.getByRole('checkbox', { name: /^db-01 — now KMS-Prod/ }).check();
  await move.getByRole('checkbox', { name: /^web-01 — now KMS-Prod/ }).check();
  await move.getByLabel('Key provider for the new KEKs').selectOption('NKP-Rescue');
  await move.getByRole('button', { name: 'Shallow re-key 2 VMs' }).click();
  await expect(move.locator('[data-result="ok"]')).toBeVisible();
  await lab.expectStep('move-running', 'done');

  // 4. Predict, reboot both hosts with kms-01 still down, power the VMs on.
  await lab.predict({ 'db-01': 'Powers on', 'web-01': 'Powers on', 'app-01': 'Locked' });
  for (const host of ['esx-01', 'esx-02']) {
    await lab.goTo(`#/host/${host}`);
    expect((await lab.runAction('Reboot')).ok).toBe(true);
  }
  for (const vm of ['db-01', 'web-01']) {
    await lab.goTo(`#/vm/${vm}`);
    await lab.runOk('Power on');
  }
  await lab.expectStep('prove-reboot', 'done');

  await lab.expectSummary({ score: ['4 of 4'], proof: ['db-01/customers.csv', 'web-01/index.html'] });
  await lab.summaryShots();
});
