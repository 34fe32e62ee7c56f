// Doomsday B through the UI: back up the NKP, move a VM to it, power the VMs off, lose vCenter, deploy a new one,
// restore the NKP from the downloaded .p12, add a host back, register the VM from the datastore, power it on: the
// guest's file is intact, because the key ID travelled in the VM's own files and the restored KDK derives its KEK again.
import { expect, test } from '@playwright/test';
import { fact } from './pages/lab-page';
import { openWithVmOnBackedUpNkp } from './pages/openings';

const PASSWORD = 'Doomsday-Drill-2026!';
const NKP = 'nkp-dr';

test('doomsday B: a new vCenter gets the VM back from the datastore with the restored NKP', async ({ page }) => {
  test.setTimeout(180_000);
  // 1. A Native Key Provider, backed up (the .p12 is downloaded for real).
  // 2. Move db-01 to it: a shallow re-key with the NKP as the new KEK's provider.
  const { lab, file, keyId } = await openWithVmOnBackedUpNkp(page, { vm: 'db-01', nkp: NKP, password: PASSWORD });

  // 3. Every VM off.
  for (const vm of ['db-01', 'web-01', 'app-01']) {
    await lab.goTo(`#/vm/${vm}`, vm);
    await lab.runOk('Power off');
  }

  // 4. vCenter is lost; a new, empty one is deployed.
  await lab.destroyVcenterAndDeployNew();
  await lab.shot('doomsday-new-vcenter');

  // 5. Restore the NKP from the .p12.
  await lab.keyProviders.restore(NKP, file, PASSWORD);

  // 6. A host back in the new vCenter (esx-02: adding a host brings its own VMs along, and db-01 was on esx-01), then
  //    db-01 registered from its folder on the datastore onto that host.
  await lab.goTo('#/vcenter');
  await lab.runOk('Add esx-02.lab.local to Cluster-01');
  await lab.vm.registerFromDatastore('db-01', 'esx-02.lab.local');
  await lab.shot('doomsday-registered');

  // 7. Power on: the guest's data is all there, under the same key.
  await lab.goTo('#/vm/db-01', 'db-01');
  await expect(fact(lab.main, 'KEK key ID')).toHaveText(keyId);
  await lab.runOk(/^Power on/);
  await expect(await lab.vm.readGuestFile('customers.csv')).toContainText('1,Ada Lovelace,4111-1111-1111-1111');
  await lab.shot('doomsday-data-intact');
});
