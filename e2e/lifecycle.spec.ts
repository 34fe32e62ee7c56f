// The everyday actions around encrypted VMs and their hosts, each as a learner clicks it: a vTPM, snapshots in the
// way of a deep re-key, a decrypt; a host disconnected, removed and added back; a TPM cleared; a KMS node down
// with vCenter failing over to the next at once; a key provider added, made default and removed.
import { expect, test } from '@playwright/test';
import { fact, LabPage } from './pages/lab-page';

test('a vTPM comes and goes with the VM off; snapshots block a deep re-key until deleted; a decrypted VM keeps its data', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('web-01', /web-01/);

  await lab.runRefused('Add vTPM', 'only while VM web-01 is powered off');
  await lab.runOk('Power off');
  await lab.runOkAndExpectFact('Add vTPM', 'vTPM', /Present/);
  await lab.runOkAndExpectFact('Remove vTPM', 'vTPM', 'None');

  await lab.runOkAndExpectFact('Take snapshot', 'Snapshots', '1');
  await lab.main.getByLabel(/^Deep/).check();
  await lab.runRefused('Deep re-key', 'Delete all snapshots first');
  await lab.runOkAndExpectFact('Delete all snapshots', 'Snapshots', '0');

  await lab.runOkAndExpectFact('Decrypt', 'Encryption', 'Not encrypted');
  await expect(fact(lab.main, 'KEK key ID')).toHaveText('—');
  await lab.runOk(/^Power on/);
  await expect(await lab.vm.readGuestFile('index.html')).toContainText('Welcome to the lab shop');
});

test('a host is disconnected, connected, removed and added back; a cleared TPM stops it at boot until reinstalled, and a host without one says so', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('esx-02.lab.local', /esx-02/);

  await lab.runOkAndExpectFact('Disconnect', 'Connection', 'disconnected');
  await lab.runOkAndExpectFact('Connect', 'Connection', 'connected');

  await lab.runOkAndExpectFact('Remove from inventory', 'Connection', 'removed');
  await expect(lab.treeItem('Hosts not in vCenter')).toBeVisible();
  await lab.runOkAndExpectFact('Add to vCenter', 'Connection', 'connected');

  // A cleared TPM stops the host at boot; with no recovery key kept, only a reinstall brings it back (disconnected).
  await lab.runOk('Clear TPM');
  await expect(lab.main.getByText('Stopped at boot: awaiting recovery key')).toBeVisible();
  await lab.runOk('Reinstall ESXi', lab.main.getByRole('region', { name: 'Recover the configuration' }));
  await expect(fact(lab.main, 'Connection')).toHaveText('disconnected');

  // esx-03 has no TPM: there is nothing to clear, so no such action is offered, and the page says why.
  await lab.select('esx-03.lab.local', /esx-03/);
  await expect(lab.main.getByRole('button', { name: 'Clear TPM' })).toHaveCount(0);
  await expect(lab.main).toContainText('it has no TPM, so there is no TPM to clear');
});

test('a KMS node taken down is skipped at once; a provider is removed once nothing uses it, and the default moves', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('kms-a', /kms-a/);
  expect((await lab.runAction('Take down')).ok).toBe(true);
  await expect(lab.main.getByText('Down', { exact: false }).first()).toBeVisible();

  // vCenter asks kms-a, is refused at once, and gets the new key from kms-b: no 60 s wait.
  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const encrypted = await lab.runAction('Encrypt');
  expect(encrypted.ok, encrypted.text).toBe(true);
  await expect(lab.main.getByTestId('wait-countdown')).toHaveCount(0);
  await expect(fact(lab.main, 'KEK key ID')).toHaveText(/^[0-9a-f-]{36}$/);

  await lab.select('kms-a', /kms-a/);
  expect((await lab.runAction('Restore')).ok).toBe(true);

  // A second standard provider on kms-b becomes the default, then is removed again (nothing uses it).
  await lab.select('Key Providers', 'Key Providers');
  await lab.keyProviders.addStandard('kms-b-only', 'kms-b');
  const second = lab.keyProviders.card('kms-b-only');
  expect((await lab.runAction('Set as default', second)).ok).toBe(true);
  await expect(second.getByText('Default', { exact: true })).toBeVisible();

  await second.getByRole('button', { name: 'Remove kms-b-only…' }).click();
  const confirm = lab.dialog('Remove key provider kms-b-only?');
  await expect(confirm).toContainText('No VM in this lab uses this provider’s keys.');
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(second).toHaveCount(0);
  await expect(lab.treeItem('kms-b-only')).toHaveCount(0);
});
