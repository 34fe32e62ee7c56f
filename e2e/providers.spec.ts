// Key providers as a learner uses them: add a Native Key Provider (TPM-only ticked by default), back it up with a
// password and catch the real .p12 download, check with OpenSSL that the file holds the KDK, lose vCenter, deploy a
// new one and restore the provider from the downloaded file; a wrong password and a file that is no .p12 are refused.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, LabPage } from './pages/lab-page';

const PASSWORD = 'Correct-Horse-Battery-9';
const NKP = 'nkp-e2e';

function openssl(file: string, password: string) {
  const run = spawnSync('openssl', ['pkcs12', '-info', '-in', file, '-passin', `pass:${password}`, '-nodes'], { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

async function providersPage(lab: LabPage) {
  await lab.goTo('#/providers');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'Key Providers' })).toBeVisible();
}

function card(page: Page, name: string) {
  return page.locator(`main#lab-main article[data-provider="${name}"]`);
}

test('NKP: add, back up to a real .p12, lose vCenter, restore from the file', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await providersPage(lab);

  // Add: the TPM-only box is ticked by default.
  await lab.main.getByRole('button', { name: 'Add Native Key Provider…' }).click();
  const add = lab.dialog('Add Native Key Provider');
  await add.getByLabel('Name').fill(NKP);
  await expect(add.getByLabel(/Use key provider only with TPM protected ESXi hosts/)).toBeChecked();
  await add.getByRole('button', { name: 'Add key provider' }).click();
  await expect(add).toBeHidden();
  const nkp = card(page, NKP);
  await expect(nkp.getByText('Not backed up', { exact: true })).toBeVisible();
  await expect(nkp).toContainText(`Key provider ${NKP} requires backup.`);
  const keyId = (await nkp.locator('dt:text-is("Key ID") + dd').innerText()).trim();
  expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  await lab.shot('providers-nkp-not-backed-up');

  // Back up: password, confirmation, strength hint; the .p12 downloads for real.
  await nkp.getByRole('button', { name: `Back up ${NKP}…` }).click();
  const backup = lab.dialog(/Back up Native Key Provider/);
  const password = backup.getByLabel('Password', { exact: true });
  await password.fill('abc');
  await expect(backup.getByTestId('password-strength')).toContainText('Weak');
  await password.fill(PASSWORD);
  await expect(backup.getByTestId('password-strength')).toContainText('Strong');
  await backup.getByLabel('Confirm password').fill('not the same');
  await expect(backup).toContainText('The passwords do not match.');
  await expectNoAxeViolations(page, 'the backup dialog (light)');
  await backup.getByLabel('Confirm password').fill(PASSWORD);
  await backup.getByLabel(/I have saved the password/).check();
  const downloading = page.waitForEvent('download');
  await backup.getByRole('button', { name: 'Back up key provider' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.p12$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await expect(backup).toBeHidden();
  await expect(nkp.getByText('Not backed up', { exact: true })).toHaveCount(0);
  await expect(nkp.getByText('Active', { exact: true })).toBeVisible({ timeout: 20_000 });
  await lab.shot('providers-nkp-active');

  // OpenSSL opens it with the password and prints the secret bag; a wrong password fails the MAC check.
  const good = openssl(file, PASSWORD);
  expect(good.status, good.out).toBe(0);
  expect(good.out).toContain('Secret bag');
  expect(good.out).toContain(NKP);
  const bad = openssl(file, 'wrong-password');
  expect(bad.status).not.toBe(0);
  expect(bad.out.toLowerCase()).toContain('mac');

  // Lose vCenter, deploy a new one: the provider is gone with the old database.
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
  await lab.dialog(/Destroy vCenter/).getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
  await expect(lab.main.getByRole('heading', { level: 1, name: 'No vCenter Server' })).toBeVisible();
  const deployed = await lab.runAction('Deploy new vCenter');
  expect(deployed.ok, deployed.text).toBe(true);
  await providersPage(lab);
  await expect(card(page, NKP)).toHaveCount(0);

  // (The restore is done in the dark theme, to check the dialog and its refusals there too.)
  await lab.setTheme('dark');
  // Restore: a file that is not a .p12 and a wrong password are refused, with what to do; nothing typed is lost.
  await lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
  const restore = lab.dialog(/Restore Native Key Provider/);
  const junk = testInfo.outputPath('not-a-backup.p12');
  writeFileSync(junk, 'this is not a PKCS#12 file\n');
  await restore.getByLabel('Backup file (.p12)').setInputFiles(junk);
  await restore.getByLabel('Password').fill(PASSWORD);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(restore.getByRole('alert')).toContainText(/PKCS#12|\.p12/);

  await restore.getByLabel('Backup file (.p12)').setInputFiles(file);
  await restore.getByLabel('Password').fill('wrong-password');
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(restore.getByRole('alert')).toContainText(/password/i);
  await expect(restore).toContainText('Check the password');
  await lab.shot('providers-restore-wrong-password');
  await expectNoAxeViolations(page, 'the restore dialog with a refusal (dark)');

  await restore.getByLabel('Password').fill(PASSWORD);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(restore).toBeHidden();
  const restored = card(page, NKP);
  await expect(restored).toBeVisible();
  await expect(restored.locator('dt:text-is("Key ID") + dd')).toHaveText(keyId);
  await expect(restored.getByText('Not backed up', { exact: true })).toHaveCount(0);
  await lab.shot('providers-restored');
});

test('a standard key provider is added with its KMS nodes in order, and set as default', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await providersPage(lab);
  await lab.main.getByRole('button', { name: 'Add Standard Key Provider…' }).click();
  const add = lab.dialog('Add Standard Key Provider');
  await add.getByLabel('Name').fill('kms-reversed');
  await add.getByLabel(/^kms-a/).check();
  await add.getByLabel(/^kms-b/).check();
  await add.getByRole('button', { name: 'Move kms-b up' }).click();
  await expect(add.getByRole('list', { name: 'KMS node order' }).getByRole('listitem').first()).toContainText('kms-b');
  await add.getByRole('button', { name: 'Add key provider' }).click();
  await expect(add).toBeHidden();
  const std = card(page, 'kms-reversed');
  await expect(std.getByRole('listitem').first()).toContainText('kms-b');

  const outcome = await lab.runAction('Set as default', std);
  expect(outcome.ok, outcome.text).toBe(true);
  await expect(std.getByText('Default', { exact: true })).toBeVisible();
  await expect(card(page, 'KMS-Cluster').getByText('Default', { exact: true })).toHaveCount(0);
  await expect(std.getByRole('button', { name: 'Set as default' })).toHaveAttribute('aria-disabled', 'true');
});
