// What the datastore really holds: the .vmx with its encryption fields highlighted and explained, and a disk's
// sectors as stored in IndexedDB (ciphertext, no trace of the guest's text) beside the plaintext the host sees.
import { expect, test, type Locator } from '@playwright/test';
import { expectNoAxeViolations, LabPage } from './pages/lab-page';
import { openWithVmPoweredOff } from './pages/openings';

/** The ASCII column of a hex dump, lines joined, so text that wraps across lines can be searched. */
async function asciiOf(dump: Locator): Promise<string> {
  return (await dump.locator('[data-ascii]').allInnerTexts()).join('');
}

test('the .vmx shows its encryption fields highlighted; an unencrypted VM has none', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('ds-shared-01', /ds-shared-01/);

  const folders = lab.main.getByRole('navigation', { name: 'VM folders' });
  await folders.getByRole('button', { name: /^db-01\// }).click();
  const vmx = lab.main.getByRole('region', { name: /Contents of .*db-01\.vmx$/ });
  await expect(vmx).toBeVisible();
  const keySafe = vmx.locator('[data-field="encryption.keySafe"]');
  await expect(keySafe).toBeVisible();
  await expect(keySafe.locator('mark')).toContainText('vmware:key');
  await expect(keySafe).toContainText('no plain key is stored here');
  await expect(vmx.locator('[data-field="encryption.data"]')).toBeVisible();
  await expect(lab.main.getByTestId('encryption-summary')).toContainText('highlighted');
  await lab.shot('datastore-vmx-encrypted');

  await folders.getByRole('button', { name: /^app-01\// }).click();
  await expect(lab.main.getByRole('region', { name: /Contents of .*app-01\.vmx$/ })).toBeVisible();
  await expect(lab.main.getByTestId('encryption-summary')).toContainText('No encryption fields');
});

test('the ciphertext as stored does not contain the guest text; the plaintext column shows it', async ({ page }) => {
  // Two full 4 KiB hex dumps make axe's contrast checks slow on a shared 2-core machine.
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('db-01', /db-01/);
  await lab.main.getByRole('tab', { name: 'Disk sectors' }).click();
  await lab.main.getByRole('button', { name: 'First file data (sector 8)' }).click();
  await expect(lab.main.getByTestId('sector-summary')).toContainText('Sector 8: encrypted');

  const stored = lab.main.getByTestId('sector-stored');
  const plain = lab.main.getByTestId('sector-plaintext');
  await expect(plain).toBeVisible();
  await expect.poll(() => asciiOf(plain)).toContain('Ada Lovelace');
  expect(await asciiOf(stored)).not.toContain('Ada Lovelace');
  expect(await asciiOf(stored)).not.toContain('4111-1111');
  await lab.shot('datastore-sectors-encrypted');
  await expectNoAxeViolations(page, 'the sector view (light)');
  await lab.setTheme('dark');
  await expectNoAxeViolations(page, 'the sector view (dark)');
  await lab.shot('datastore-sectors-encrypted-dark');
  await lab.setTheme('light');

  // The same place on the unencrypted VM's disk: stored as written.
  await lab.select('app-01', /app-01/);
  await lab.main.getByRole('tab', { name: 'Disk sectors' }).click();
  await lab.main.getByRole('button', { name: 'First file data (sector 8)' }).click();
  await expect(lab.main.getByTestId('sector-summary')).toContainText('not encrypted');
  await expect.poll(() => asciiOf(lab.main.getByTestId('sector-stored'))).toContain('Application server');
});

test('an unregistered VM is registered again from its datastore folder', async ({ page }) => {
  const lab = await openWithVmPoweredOff(page, 'app-01');
  // Unregister asks first (its files stay on the datastore).
  await lab.main.getByRole('button', { name: 'Unregister…' }).click();
  await lab.dialog('Unregister app-01?').getByRole('button', { name: 'Unregister', exact: true }).click();
  const unregistered = await lab.resultBeside(lab.main.getByRole('button', { name: 'Unregister…' }));
  expect(unregistered.ok, unregistered.text).toBe(true);
  await expect(lab.main.getByText('Not registered', { exact: true })).toBeVisible();

  await lab.vm.registerFromDatastore('app-01', 'esx-02.lab.local');
  await expect(lab.treeItem('app-01')).toBeVisible();
});
