// The administrators' actions around encryption, each driven from its page: vCenter down and back (a host without
// TPM that reboots meanwhile cannot power its encrypted VM on until vCenter returns), host encryption mode off, a KMS
// administrator revoking and destroying keys, and moving several VMs to another provider in one shallow re-key.
import { expect, test } from '@playwright/test';
import { fact, LabPage } from './pages/lab-page';
import { openWithVmEncryptedAndRunning } from './pages/openings';

test('vCenter down: a host without TPM that reboots cannot power its encrypted VM on until vCenter is back', async ({ page }) => {
  test.setTimeout(90_000);
  // app-01 runs on esx-03, which has no TPM: encrypt it and run it.
  const lab = await openWithVmEncryptedAndRunning(page, 'app-01');

  await lab.goTo('#/vcenter');
  const stop = await lab.runAction('Stop vCenter');
  expect(stop.ok, stop.text).toBe(true);
  await expect(lab.main.getByRole('heading', { level: 1, name: 'vCenter Server is down' })).toBeVisible();
  await expect(lab.treeItem('vCenter Server (down)')).toBeVisible();
  // Its inventory still stands: the VMs stay registered, under their hosts.
  await expect(lab.treeItem('ESXi hosts (vCenter down)')).toBeVisible();
  await expect(lab.treeItem('app-01')).not.toHaveAttribute('aria-label', /unregistered/);
  await expect(lab.main.getByRole('button', { name: 'Deploy new vCenter' })).toHaveAttribute('aria-disabled', 'true');

  await lab.goTo('#/host/esx-03');
  await expect(lab.main.getByRole('heading', { level: 1, name: /esx-03/ })).toBeVisible();
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/app-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: /app-01/ })).toBeVisible();
  const refused = await lab.runAction(/^Power on/);
  expect(refused.ok).toBe(false);
  await lab.shot('admin-vcenter-down-refused');

  // The inventory offers to start vCenter again; it comes back with its database, the host gets the key again and
  // the VM powers on.
  const inventory = page.getByRole('navigation', { name: 'Inventory' });
  await expect(inventory.getByRole('status')).toContainText('vCenter Server is down.');
  await inventory.getByRole('button', { name: 'Start vCenter' }).click();
  await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
  await expect(inventory.getByRole('button', { name: 'Start vCenter' })).toHaveCount(0);
  // The refused power-on left the VM locked, as vSphere does; with the key reachable again it unlocks and powers on.
  await expect(lab.main.getByText('Locked (invalid)')).toBeVisible();
  const unlocked = await lab.runAction('Unlock VM');
  expect(unlocked.ok, unlocked.text).toBe(true);
  const on = await lab.runAction(/^Power on/);
  expect(on.ok, on.text).toBe(true);
});

test('host encryption mode: refused off while encrypted VMs are registered there, allowed on a host without them', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('esx-01.lab.local', /esx-01/);
  const refused = await lab.runAction('Disable host encryption mode');
  expect(refused.ok).toBe(false);
  expect(refused.text).toContain('db-01');

  await lab.select('esx-03.lab.local', /esx-03/);
  expect((await lab.runAction('Enable host encryption mode')).ok).toBe(true);
  await expect(fact(lab.main, 'Encryption mode (cryptoState)')).toContainText('safe');
  const off = await lab.runAction('Disable host encryption mode');
  expect(off.ok, off.text).toBe(true);
  await expect(fact(lab.main, 'Encryption mode (cryptoState)')).toContainText('pendingIncapable');
});

test('the KMS administrator revokes one key and destroys another, across the cluster', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('web-01', /web-01/);
  const webKey = (await fact(lab.main, 'KEK key ID').innerText()).trim();
  await lab.select('db-01', /db-01/);
  const dbKey = (await fact(lab.main, 'KEK key ID').innerText()).trim();

  await lab.select('kms-a', /kms-a/);
  const keys = lab.main.getByRole('table', { name: /Keys on kms-a/ });
  const webRow = keys.getByRole('row').filter({ hasText: webKey });
  const revoked = await lab.runAction(`Revoke key ${webKey}`, webRow);
  expect(revoked.ok, revoked.text).toBe(true);
  await expect(webRow).toContainText('Deactivated');
  // Revoked keeps the material: the KMS administrator can make it Active again (a KMS product feature).
  const reactivated = await lab.runAction(`Reactivate key ${webKey}`, webRow);
  expect(reactivated.ok, reactivated.text).toBe(true);
  await expect(webRow).toContainText('Active');
  expect((await lab.runAction(`Revoke key ${webKey}`, webRow)).ok).toBe(true);
  await expect(webRow).toContainText('Deactivated');

  const dbRow = keys.getByRole('row').filter({ hasText: dbKey });
  await dbRow.getByRole('button', { name: `Destroy key ${dbKey}…` }).click();
  const dialog = lab.dialog(`Destroy key ${dbKey.slice(0, 8)}…?`);
  await expect(dialog).toContainText('db-01 is encrypted with it');
  await lab.shot('admin-kms-destroy-confirm');
  await dialog.getByRole('button', { name: 'Destroy key' }).click();
  await expect(dialog).toBeHidden();
  await expect(dbRow).toContainText('Destroyed');
  // Destroyed is final: nothing offers to bring it back or to revoke it.
  await expect(dbRow.getByRole('button', { name: /^(Reactivate|Revoke)/ })).toHaveCount(0);
  await lab.shot('admin-kms-revoked-and-destroyed');

  // The whole cluster: kms-b shows the same states.
  await lab.select('kms-b', /kms-b/);
  const peer = lab.main.getByRole('table', { name: /Keys on kms-b/ });
  await expect(peer.getByRole('row').filter({ hasText: webKey })).toContainText('Deactivated');
  await expect(peer.getByRole('row').filter({ hasText: dbKey })).toContainText('Destroyed');
});

test('a KMS node lost for good takes the key it had not sent; the locked VM says its key is gone', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  expect((await lab.runAction('Encrypt')).ok).toBe(true);
  const appKey = (await fact(lab.main, 'KEK key ID').innerText()).trim();

  // kms-a made the key; taken down before its copy left, then lost for good.
  await lab.goTo('#/kms/kms-a');
  expect((await lab.runAction('Take down')).ok).toBe(true);
  await lab.main.getByRole('button', { name: 'Lose for good…' }).click();
  const confirm = lab.dialog('Lose kms-a for good?');
  await expect(confirm).toContainText('never comes back');
  await confirm.getByRole('button', { name: 'Lose for good', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(lab.main.getByText('Lost for good').first()).toBeVisible();
  await expect(lab.main.getByTestId('kms-lost-note')).toContainText('nothing brings it back');
  await expect(lab.main.getByRole('button', { name: 'Restore' })).toHaveCount(0);
  await lab.shot('kms-node-lost');
  await lab.goTo('#/kms/kms-b');
  await expect(lab.main.getByRole('table', { name: /Keys on kms-b/ })).not.toContainText(appKey);

  await lab.goTo('#/host/esx-03');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/app-01');
  expect((await lab.runAction('Power on')).ok).toBe(false);
  const advice = lab.main.getByTestId('lock-advice');
  await expect(advice).toHaveAttribute('data-fate', 'lostWithNode');
  await expect(lab.main.getByText('Key gone')).toBeVisible();
  await lab.shot('vm-locked-key-gone');
});

test('several VMs move to new KEKs in one shallow re-key, running ones included', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  const keyOf = async (vm: string) => {
    await lab.select(vm, new RegExp(vm));
    return (await fact(lab.main, 'KEK key ID').innerText()).trim();
  };
  const before = { db: await keyOf('db-01'), web: await keyOf('web-01') };

  await lab.select('Key Providers', 'Key Providers');
  // A second standard provider to move them to (VMs already on the chosen provider are skipped, see polish.spec.ts).
  await lab.keyProviders.addStandard('KMS-Cluster-2', 'kms-b');
  const section = lab.main.getByRole('region', { name: 'Move VMs to a key provider' });
  await section.getByLabel('Key provider for the new KEKs').selectOption({ label: 'KMS-Cluster-2 — standard' });
  const button = section.getByRole('button', { name: /^Shallow re-key/ });
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await section.getByRole('button', { name: 'Select all' }).click();
  await expect(section.getByRole('checkbox', { name: /db-01/ })).toBeChecked();
  await expect(section.getByRole('checkbox', { name: /web-01/ })).toBeChecked();
  await lab.shot('admin-rekey-many');
  const done = await lab.runAction('Shallow re-key 2 VMs', section);
  expect(done.ok, done.text).toBe(true);

  const after = { db: await keyOf('db-01'), web: await keyOf('web-01') };
  expect(after.db).not.toBe(before.db);
  expect(after.web).not.toBe(before.web);
  // Still running, data readable: a shallow re-key rewrites no disk data.
  await expect(lab.main.getByText('Powered on', { exact: true }).first()).toBeVisible();
});
