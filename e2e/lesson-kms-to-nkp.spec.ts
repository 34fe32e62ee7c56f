// Lesson 2 as a learner takes it: move the running VMs to NKP-1 in one shallow re-key, deep re-key the powered-off
// one after predicting the difference, take both KMS nodes down, reboot the hosts and start every VM, then revoke (not
// destroy) the old keys and remove the KMS provider; the lesson ends on its summary with the guest files read back.
// A second test takes the misconception's path: a key revoked while its VM still uses it, then reactivated.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 2: migrate from a KMS to NKP, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('kms-to-nkp');
  await lab.expectStep('shallow-running', 'current');

  // 1. Shallow re-key of the two running VMs from Key Providers > Move VMs to a key provider.
  await lab.goTo('#/providers');
  const move = lab.main.getByRole('region', { name: 'Move VMs to a key provider' });
  await move.getByRole('checkbox', { name: /^db-01 — now KMS-Cluster/ }).check();
  await move.getByRole('checkbox', { name: /^web-01 — now KMS-Cluster/ }).check();
  await move.getByLabel('Key provider for the new KEKs').selectOption('NKP-1');
  // Once done, both are on NKP-1 and the button counts 0 VMs to move: read the outcome from the section.
  await move.getByRole('button', { name: 'Shallow re-key 2 VMs' }).click();
  await expect(move.locator('[data-result="ok"]')).toBeVisible();
  await expect(move.getByRole('checkbox', { name: /^web-01/ })).toHaveAccessibleName(/now NKP-1, powered on/);
  await lab.expectStep('shallow-running', 'done');

  // 2. Predict, then deep re-key archive-01.
  await lab.predict({ 'db-01': 'The KEK only (same DEK, no sector rewritten)', 'archive-01': 'The KEK and the DEK (every sector rewritten)' });
  await lab.goTo('#/vm/archive-01');
  await lab.main.getByLabel('Deep (new KEK and DEK)').check();
  await lab.main.getByLabel('Key provider for the new KEK').selectOption('NKP-1');
  const deep = await lab.runAction('Deep re-key');
  expect(deep.ok, deep.text).toBe(true);
  await lab.expectStep('deep-archive', 'done');
  const compared = lab.step('deep-archive').getByTestId('prediction-result');
  await expect(compared).toContainText('2 of 2 right');
  await expect(compared).toContainText('all 512 sectors');

  // 3. Both KMS nodes down, both hosts rebooted, every VM powered on.
  await lab.predict({ 'db-01': 'Powers on', 'web-01': 'Powers on', 'archive-01': 'Powers on' });
  for (const kms of ['kms-a', 'kms-b']) {
    await lab.goTo(`#/kms/${kms}`);
    expect((await lab.runAction('Take down')).ok).toBe(true);
  }
  for (const host of ['esx-01', 'esx-02']) {
    await lab.goTo(`#/host/${host}`);
    expect((await lab.runAction('Reboot')).ok).toBe(true);
  }
  for (const vm of ['db-01', 'web-01', 'archive-01']) {
    await lab.goTo(`#/vm/${vm}`);
    const on = await lab.runAction('Power on');
    expect(on.ok, on.text).toBe(true);
  }
  await lab.expectStep('prove-without-kms', 'done');

  // 4. Decommission: revoke the three old keys on kms-a (kept, reactivatable), then remove KMS-Cluster.
  await lab.goTo('#/kms/kms-a');
  const revoke = lab.main.getByRole('button', { name: /^Revoke key / });
  await expect(revoke).toHaveCount(3);
  const keyIds = (await revoke.allTextContents()).map((t) => t.replace(/^Revoke key /, '').trim());
  for (const keyId of keyIds) {
    const button = lab.main.getByRole('button', { name: `Revoke key ${keyId}` });
    await button.click();
    expect((await lab.resultBeside(button)).ok).toBe(true);
    // A revoked key keeps its material: its row now offers Reactivate.
    await expect(lab.main.getByRole('button', { name: `Reactivate key ${keyId}` })).toBeVisible();
  }
  await expect(lab.main.getByRole('button', { name: /^Reactivate key / })).toHaveCount(3);
  await expect(lab.main.getByText('Deactivated', { exact: true })).toHaveCount(3);
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Remove KMS-Cluster…' }).click();
  await lab.dialog('Remove key provider KMS-Cluster?').getByRole('button', { name: 'Remove', exact: true }).click();
  await lab.expectStep('decommission', 'done');

  await lab.expectSummary({ score: ['4 of 4'], proof: ['db-01/orders.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt'] });
});

test('lesson 2: a key revoked while its VM still uses it is named, and reactivating it recovers', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('kms-to-nkp');
  await lab.goTo('#/vm/archive-01');
  const keyId = (await lab.main.getByText(/^[0-9a-f]{8}-[0-9a-f]{4}-/).first().textContent())!.trim();
  await lab.goTo('#/kms/kms-a');
  const row = lab.main.getByRole('row', { name: new RegExp(keyId) });
  await row.getByRole('button', { name: `Revoke key ${keyId}` }).click();
  await expect(lab.panel.getByText(/was revoked on the KMS while archive-01 still uses it/)).toBeVisible();
  await expect(lab.panel.getByText(/Ask the KMS administrator to reactivate it/)).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  await lab.shot('kms-page-revoked-key');
  const reactivate = row.getByRole('button', { name: `Reactivate key ${keyId}` });
  await reactivate.click();
  expect((await lab.resultBeside(reactivate)).ok).toBe(true);
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await expect(lab.panel.getByText(/was revoked on the KMS while archive-01 still uses it/)).toBeHidden();
});
