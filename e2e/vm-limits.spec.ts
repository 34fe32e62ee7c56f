// The encrypted-VM limits through the VM page: an encrypted VM refuses clone, OVF export, a memory snapshot, a disk
// format change and the FT / replication / content library switches with the material's reason and the later-version
// note; a plain VM clones (its clone's guest file reads back) and exports a real .ova. Screenshots and axe at laptop and
// phone width, light and dark.
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, fact, LabPage } from './pages/lab-page';

test('an encrypted VM refuses each limit with the reason; the section passes axe at 1280 and 390 px, light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('db-01', /db-01/);
  await lab.runRefused('Clone to virtual machine', /Clone to Virtual Machine is not supported for encrypted VM db-01[\s\S]*Cryptographer\.Clone/);
  await lab.runRefused('Export OVF template', /Export OVF Template is not supported for encrypted VM db-01/);
  await lab.runRefused('Take snapshot with memory', /memory[\s\S]*From vSphere 6\.7/);
  await lab.runRefused('Change disk format', /virtual disk format[\s\S]*Decrypt the VM first/);
  await lab.runRefused('Turn on Fault Tolerance', /Fault Tolerance does not work with VM encryption[\s\S]*7\.0 Update 2/);
  await lab.runRefused('Turn on vSphere Replication', /vSphere Replication does not work with VM encryption[\s\S]*Replication 8\.3/);
  await lab.runRefused('Turn on Content library template', /content library does not work with VM encryption/);
  // One datastore in the starter lab: Storage vMotion says what it needs.
  await expect(lab.main.getByRole('button', { name: 'Change storage (Storage vMotion)' })).toHaveAttribute('aria-disabled', 'true');
  await expect(lab.main.getByText('This lab has one datastore: Storage vMotion needs a second')).toBeVisible();

  // The refusals of the Storage and Availability rows, in view.
  const section = lab.main.getByRole('button', { name: 'Turn on Content library template' });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 720 });
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      await section.scrollIntoViewIfNeeded();
      await lab.shot(`vm-limits-encrypted-${width}-${theme}`);
      await expectNoAxeViolations(page, `db-01's limits (${width} px, ${theme})`);
    }
  }
});

test('a plain VM clones, its clone reads its guest file back, and it exports a real .ova', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('app-01', /app-01/);
  await lab.main.getByLabel('Name of the clone').fill('app-02');
  const cloned = await lab.runOk('Clone to virtual machine');
  expect(cloned.text).toContain('cloned to app-02');
  await lab.shot('vm-limits-cloned');

  const download = page.waitForEvent('download');
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const exported = await lab.runOk('Export OVF template');
  expect(exported.text).toContain('app-01.ova');
  const file = await download;
  expect(file.suggestedFilename()).toBe('app-01.ova');

  await lab.select('app-02', /app-02/);
  await expect(fact(lab.main, 'Encryption')).toHaveText('Not encrypted');
  expect((await lab.runAction(/^Power on/)).ok).toBe(true);
  await expect(await lab.vm.readGuestFile('notes.txt')).toContainText('Application server. Not encrypted yet.');
  await lab.main.getByRole('button', { name: 'Turn on Fault Tolerance' }).click();
  await expect(fact(lab.main, 'Fault Tolerance')).toHaveText('On');
  await expect(lab.main.getByRole('status').filter({ hasText: 'Fault Tolerance is on for VM app-02' })).toBeVisible();
  await expect(lab.main.getByRole('button', { name: 'Turn off Fault Tolerance' })).toBeVisible();
  await lab.shot('vm-limits-clone-read');
});

test('the NKP card says it has no KMIP interface; a KMS node shows its KMIP endpoint on port 5696', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.goTo('#/providers');
  await lab.keyProviders.addNative('NKP-01');
  const card = lab.keyProviders.card('NKP-01');
  await expect(fact(card, 'KMIP interface')).toContainText('VMware products only');
  await card.scrollIntoViewIfNeeded();
  await lab.shot('vm-limits-nkp-card');
  await lab.goTo('#/kms/kms-a', 'kms-a');
  await expect(fact(lab.main, 'KMIP endpoint')).toHaveText('kms-a.lab.local, port 5696 (KMIP 1.1 over TLS)');
  for (const theme of ['light', 'dark'] as const) {
    await lab.setTheme(theme);
    await lab.shot(`vm-limits-kms-endpoint-${theme}`);
    await expectNoAxeViolations(page, `kms-a (${theme})`);
  }
});
