// Doomsday B through the UI: back up the NKP, move a VM to it, power the VMs off, lose vCenter, deploy a new one,
// restore the NKP from the downloaded .p12, add a host back, register the VM from the datastore, power it on: the
// guest's file is intact, because the key ID travelled in the VM's own files and the restored KDK derives its KEK again.
import { expect, test, type Locator } from '@playwright/test';
import { fact, LabPage } from './pages/lab-page';

const PASSWORD = 'Doomsday-Drill-2026!';
const NKP = 'nkp-dr';

async function chooseOption(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

test('doomsday B: a new vCenter gets the VM back from the datastore with the restored NKP', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.openFresh();

  // 1. A Native Key Provider, backed up (the .p12 is downloaded for real).
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Add Native Key Provider…' }).click();
  const add = lab.dialog('Add Native Key Provider');
  await add.getByLabel('Name').fill(NKP);
  await add.getByRole('button', { name: 'Add key provider' }).click();
  await expect(add).toBeHidden();
  const card = lab.main.locator(`article[data-provider="${NKP}"]`);
  await card.getByRole('button', { name: `Back up ${NKP}…` }).click();
  const backup = lab.dialog(/Back up Native Key Provider/);
  await backup.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await backup.getByLabel('Confirm password').fill(PASSWORD);
  await backup.getByLabel(/I have saved the password/).check();
  const downloading = page.waitForEvent('download');
  await backup.getByRole('button', { name: 'Back up key provider' }).click();
  const download = await downloading;
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await expect(card.getByText('Active', { exact: true })).toBeVisible({ timeout: 20_000 });

  // 2. Move db-01 to it: a shallow re-key with the NKP as the new KEK's provider.
  await lab.select('db-01', /db-01/);
  await chooseOption(lab.main.getByLabel('Key provider for the new KEK'), NKP);
  const moved = await lab.runAction('Shallow re-key');
  expect(moved.ok, moved.text).toBe(true);
  await expect(fact(lab.main, 'Encryption')).toContainText(NKP);
  const keyId = (await fact(lab.main, 'KEK key ID').innerText()).trim();

  // 3. Every VM off.
  for (const vm of ['db-01', 'web-01', 'app-01']) {
    await lab.goTo(`#/vm/${vm}`);
    await expect(lab.main.getByRole('heading', { level: 1, name: vm })).toBeVisible();
    const off = await lab.runAction('Power off');
    expect(off.ok, `${vm}: ${off.text}`).toBe(true);
  }

  // 4. vCenter is lost; a new, empty one is deployed.
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
  await lab.dialog(/Destroy vCenter/).getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
  const deployed = await lab.runAction('Deploy new vCenter');
  expect(deployed.ok, deployed.text).toBe(true);
  await lab.shot('doomsday-new-vcenter');

  // 5. Restore the NKP from the .p12.
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
  const restore = lab.dialog(/Restore Native Key Provider/);
  await restore.getByLabel('Backup file (.p12)').setInputFiles(file);
  await restore.getByLabel('Password').fill(PASSWORD);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(restore).toBeHidden();
  await expect(lab.main.locator(`article[data-provider="${NKP}"]`)).toBeVisible();

  // 6. A host back in the new vCenter (esx-02: adding a host brings its own VMs along, and db-01 was on esx-01), then
  //    db-01 registered from its folder on the datastore onto that host.
  await lab.goTo('#/vcenter');
  const added = await lab.runAction('Add esx-02.lab.local to Cluster-01');
  expect(added.ok, added.text).toBe(true);
  await lab.goTo('#/datastore/ds-shared-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'ds-shared-01' })).toBeVisible();
  await lab.main.getByLabel('VM folder', { exact: true }).selectOption('db-01');
  await lab.main.getByLabel('Host', { exact: true }).selectOption({ label: 'esx-02.lab.local' });
  const registered = await lab.runAction('Register VM');
  expect(registered.ok, registered.text).toBe(true);
  await lab.shot('doomsday-registered');

  // 7. Power on: the guest's data is all there, under the same key.
  await lab.goTo('#/vm/db-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'db-01' })).toBeVisible();
  await expect(fact(lab.main, 'KEK key ID')).toHaveText(keyId);
  const on = await lab.runAction(/^Power on/);
  expect(on.ok, on.text).toBe(true);
  await lab.main.getByRole('list', { name: 'Guest files' }).getByRole('button', { name: /^customers\.csv/ }).click();
  await expect(lab.main.getByRole('region', { name: 'Contents of customers.csv' })).toContainText('1,Ada Lovelace,4111-1111-1111-1111');
  await lab.shot('doomsday-data-intact');
});
