// Issue 10 through the UI, as a learner meets it: a VM whose Native Key Provider the new vCenter lacks is shown locked,
// with the reason and the fix, until the .p12 is restored and the VM unlocked (whatever the host still holds); and a
// vTPM really encrypts the VM home: the datastore browser shows its .nvram as ciphertext.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, fact } from './pages/lab-page';
import { openWithVmOnBackedUpNkp, openWithVmPoweredOff } from './pages/openings';

const PASSWORD = 'Rules-Drill-2026!';
const NKP = 'nkp-rules';

test('a new vCenter without the VM’s Native Key Provider shows it locked with the reason and the fix', async ({ page }) => {
  test.setTimeout(180_000);
  // An NKP, backed up (a real .p12 download), and db-01 moved to it.
  const { lab, file } = await openWithVmOnBackedUpNkp(page, { vm: 'db-01', nkp: NKP, password: PASSWORD });
  await lab.runOk('Power off');

  // vCenter is lost; the new one has no key provider at all. esx-01 comes back with db-01 (its TPM holds the KDK).
  await lab.destroyVcenterAndDeployNew();
  // The button goes once the host is in the cluster (it is not there for hosts already in it).
  const addHost = lab.main.getByRole('button', { name: 'Add esx-01.lab.local to Cluster-01', exact: true });
  await addHost.click();
  await expect(addHost).toHaveCount(0, { timeout: 30_000 });

  // The VM is shown locked, with the reason and the fix; powering it on is refused.
  await lab.goTo('#/vm/db-01', 'db-01');
  await expect(lab.main.getByText('Locked (invalid)')).toBeVisible();
  await expect(lab.main).toContainText(`key provider ${NKP}, which is not configured in vCenter`);
  await expect(lab.main).toContainText('Restore that provider from its backup under the same name');
  await expect(lab.main).toContainText('then unlock the VM');
  await lab.shot('rules-locked-new-vcenter');
  await expectNoAxeViolations(page, 'a locked VM in a new vCenter');
  await lab.runRefused(/^Power on/, /locked/i);

  // The fix: restore the backup under its name, unlock, power on.
  await lab.keyProviders.restore(NKP, file, PASSWORD);
  await lab.goTo('#/vm/db-01', 'db-01');
  await lab.runOk('Unlock VM');
  await lab.runOk(/^Power on/);
  await expect(await lab.vm.readGuestFile('customers.csv')).toContainText('1,Ada Lovelace,4111-1111-1111-1111');
});

test('a vTPM encrypts the VM home: its .nvram is ciphertext in the datastore browser, the disks stay plain', async ({ page }) => {
  test.setTimeout(120_000);
  // A vTPM is added with the VM off.
  const lab = await openWithVmPoweredOff(page, 'app-01');
  const added = await lab.runOk('Add vTPM');
  expect(added.text).toContain('VM home only');
  await expect(fact(lab.main, 'vTPM')).toContainText('Present');

  await lab.select('ds-shared-01', /ds-shared-01/);
  const folder = lab.main.getByRole('navigation', { name: 'VM folders' }).getByRole('button', { name: /^app-01\// });
  await expect(folder).toContainText('VM home encrypted');
  await folder.click();
  const vmx = lab.main.getByRole('region', { name: /Contents of .*app-01\.vmx$/ });
  await expect(vmx.locator('[data-field="encryption.keySafe"]')).toBeVisible();
  await lab.main.getByRole('group', { name: 'Files in app-01' }).getByRole('button', { name: /^app-01\.nvram/ }).click();
  const nvram = lab.main.getByRole('region', { name: /Contents of .*app-01\.nvram$/ });
  await expect(nvram).toContainText('encryption.nvram = "');
  await expect(nvram).toContainText('Virtual TPM');
  await expect(nvram).not.toContainText(/seed/i);
  expect(await nvram.innerText()).toMatch(/encryption\.nvram = "[A-Za-z0-9+/=]{200,}"/);
  await lab.shot('rules-vtpm-nvram');
  await expectNoAxeViolations(page, 'the .nvram in the datastore browser');
});
