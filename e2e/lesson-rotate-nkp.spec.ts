// Lesson 11 (rotate the NKP and audit it) as a learner takes it: NKP-2024 added, backed up, made default; every VM moved
// to it in one shallow re-key; signed in as vm-operator (No cryptography administrator) web-01 powers off and on but its
// re-key is refused with the privilege named; the crypto events filtered for the audit; signed back in as Administrator;
// the summary shows every file read back through NKP-2024.
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

test('lesson 11: rotate the Native Key Provider and audit it, end to end', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('rotate-nkp');
  await expect(lab.handout).toContainText('NKP-2023');

  // 1. NKP-2024: added, backed up, default.
  await lab.keyProviders.addNative('NKP-2024');
  await lab.keyProviders.backUp('NKP-2024', 'Juniper-Comet-Anvil-Prairie-24');
  await lab.keyProviders.setDefault('NKP-2024');
  await lab.expectStep('new-nkp', 'done');

  // 2. Predict, then one shallow re-key of all three VMs.
  const kekOnly = 'Its KEK only (same DEK, no disk data rewritten)';
  await lab.predict({ 'db-01': kekOnly, 'web-01': kekOnly, 'archive-01': kekOnly });
  await lab.goTo('#/providers');
  const move = lab.main.getByRole('region', { name: 'Move VMs to a key provider' });
  for (const vm of ['db-01', 'web-01', 'archive-01']) await move.getByRole('checkbox', { name: new RegExp(`^${vm} — now NKP-2023`) }).check();
  await move.getByLabel('Key provider for the new KEKs').selectOption('NKP-2024');
  await move.getByRole('button', { name: 'Shallow re-key 3 VMs' }).click();
  await expect(move.locator('[data-result="ok"]')).toBeVisible();
  await lab.expectStep('rekey-all', 'done');
  await expect(lab.step('rekey-all').getByTestId('prediction-result')).toContainText('3 of 3 right');

  // 3. Predict, then as vm-operator: power allowed, re-key refused with the privilege named.
  await lab.predict({ 'Power web-01 off and on': 'Allowed', 'Shallow re-key web-01': 'Refused', 'Add or remove a key provider': 'Refused' });
  await lab.switchUser('No cryptography administrator');
  await lab.goTo('#/vm/web-01');
  await lab.runOk('Power off');
  await lab.runOk('Power on');
  await lab.runRefused('Shallow re-key', /Cryptographer\.Recrypt/);
  await lab.expectStep('least-privilege', 'done');

  // 4. Predict, audit the events (crypto operations, then vm-operator's refusals), sign back in as Administrator.
  const newKek = 'The new KEK it got from NKP-2024';
  await lab.predict({ 'db-01': newKek, 'web-01': newKek, 'archive-01': newKek });
  const filter = page.getByRole('searchbox', { name: 'Filter' });
  if (!(await filter.isVisible())) await page.getByRole('button', { name: 'Events', exact: true }).click();
  await filter.fill('com.vmware.vc.crypto.Operation');
  await expect(lab.events.filter({ hasText: 'RekeyShallow' })).toHaveCount(3);
  await filter.fill('vm-operator');
  await expect(lab.events.filter({ hasText: 'Cryptographer.Recrypt' })).toHaveCount(1);
  await filter.fill('');
  await lab.switchUser('Administrator');
  await lab.expectStep('audit', 'done');
  await expect(lab.step('audit').getByTestId('prediction-result')).toContainText('3 of 3 right');

  await lab.expectSummary({ score: ['4 of 4'], proof: ['db-01/customers.csv', 'web-01/index.html', 'archive-01/ledger-2023.txt'] });
  await lab.summaryShots();
});
