// Issue 10 through the UI, as a learner meets it: a VM whose Native Key Provider the new vCenter lacks is shown locked,
// with the reason and the fix, until the .p12 is restored and the VM unlocked (whatever the host still holds); and a
// vTPM really encrypts the VM home: the datastore browser shows its .nvram as ciphertext.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { LabPage } from './pages/lab-page';

const PASSWORD = 'Rules-Drill-2026!';
const NKP = 'nkp-rules';

function fact(scope: Locator, label: string): Locator {
  return scope.locator(`dt:text-is("${label}") + dd`);
}

async function chooseOption(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

async function expectNoAxeViolations(page: Page, where: string) {
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const report = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, `axe violations on ${where}`).toEqual([]);
}

test('a new vCenter without the VM’s Native Key Provider shows it locked with the reason and the fix', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.openFresh();

  // An NKP, backed up (a real .p12 download), and db-01 moved to it.
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

  await lab.select('db-01', /db-01/);
  await chooseOption(lab.main.getByLabel('Key provider for the new KEK'), NKP);
  const moved = await lab.runAction('Shallow re-key');
  expect(moved.ok, moved.text).toBe(true);
  expect((await lab.runAction('Power off')).ok).toBe(true);

  // vCenter is lost; the new one has no key provider at all. esx-01 comes back with db-01 (its TPM holds the KDK).
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
  await lab.dialog(/Destroy vCenter/).getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
  expect((await lab.runAction('Deploy new vCenter')).ok).toBe(true);
  // The button goes once the host is in the cluster (it is not there for hosts already in it).
  const addHost = lab.main.getByRole('button', { name: 'Add esx-01.lab.local to Cluster-01', exact: true });
  await addHost.click();
  await expect(addHost).toHaveCount(0, { timeout: 30_000 });

  // The VM is shown locked, with the reason and the fix; powering it on is refused.
  await lab.goTo('#/vm/db-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'db-01' })).toBeVisible();
  await expect(lab.main.getByText('Locked (invalid)')).toBeVisible();
  await expect(lab.main).toContainText(`key provider ${NKP}, which is not configured in vCenter`);
  await expect(lab.main).toContainText('Restore that provider from its backup under the same name');
  await expect(lab.main).toContainText('then unlock the VM');
  await lab.shot('rules-locked-new-vcenter');
  await expectNoAxeViolations(page, 'a locked VM in a new vCenter');
  const on = await lab.runAction(/^Power on/);
  expect(on.ok).toBe(false);
  expect(on.text).toMatch(/locked/i);

  // The fix: restore the backup under its name, unlock, power on.
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
  const restore = lab.dialog(/Restore Native Key Provider/);
  await restore.getByLabel('Backup file (.p12)').setInputFiles(file);
  await restore.getByLabel('Password').fill(PASSWORD);
  await restore.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(restore).toBeHidden({ timeout: 30_000 });
  await lab.goTo('#/vm/db-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'db-01' })).toBeVisible();
  const unlocked = await lab.runAction('Unlock VM');
  expect(unlocked.ok, unlocked.text).toBe(true);
  const started = await lab.runAction(/^Power on/);
  expect(started.ok, started.text).toBe(true);
  await lab.main.getByRole('list', { name: 'Guest files' }).getByRole('button', { name: /^customers\.csv/ }).click();
  await expect(lab.main.getByRole('region', { name: 'Contents of customers.csv' })).toContainText('1,Ada Lovelace,4111-1111-1111-1111');
});

test('a vTPM encrypts the VM home: its .nvram is ciphertext in the datastore browser, the disks stay plain', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('app-01', /app-01/);
  // A vTPM is added with the VM off.
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const added = await lab.runAction('Add vTPM');
  expect(added.ok, added.text).toBe(true);
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
