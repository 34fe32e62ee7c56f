// A VM as a learner works it: write a file in the guest, encrypt the VM, read the file back; a deep re-key with its
// progress bar; and a reload in the middle of a deep re-key, after which it completes with the data intact.
import { expect, test, type Page } from '@playwright/test';
import { fact, LabPage } from './pages/lab-page';
import { openWithVmPoweredOff } from './pages/openings';

/** Records every value the VM's progress bar shows (it may be on screen only briefly on a small disk). */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __progress: string[] };
    w.__progress = [];
    const seen = () => {
      const bar = document.querySelector('[data-testid="vm-operation"] [role="progressbar"]');
      if (!bar) return;
      const entry = `${bar.getAttribute('aria-valuenow')}/${bar.getAttribute('aria-valuemax')}`;
      if (w.__progress[w.__progress.length - 1] !== entry) w.__progress.push(entry);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

test('a file written in the guest reads back the same after the VM is encrypted', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('app-01', /app-01/);
  const text = 'Quarterly numbers: 42, 17, 99.\nDo not share.';

  await lab.main.getByLabel('File name').fill('secret.txt');
  await lab.main.getByLabel('Text', { exact: true }).fill(text);
  await lab.main.getByRole('button', { name: 'Save file' }).click();
  await expect(lab.main.getByRole('region', { name: 'Contents of secret.txt' })).toHaveText(text);
  await lab.shot('vm-guest-written');

  expect((await lab.runAction('Power off')).ok).toBe(true);
  await expect(lab.main.getByRole('button', { name: 'Encrypt' })).toBeEnabled();
  const encrypted = await lab.runAction('Encrypt');
  expect(encrypted.ok, encrypted.text).toBe(true);
  await expect(fact(lab.main, 'Encryption')).toContainText('Encrypted with KMS-Cluster');
  await expect(fact(lab.main, 'KEK key ID')).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(fact(lab.main, 'DEK fingerprint')).not.toHaveText('—');

  const on = await lab.runAction(/^Power on/);
  expect(on.ok, on.text).toBe(true);
  await expect(await lab.vm.readGuestFile('secret.txt')).toHaveText(text);
  await lab.shot('vm-encrypted-read-back');

  // The VM's own folder, from its Files tab: the .vmx now names the key.
  await lab.main.getByRole('tab', { name: 'Files' }).click();
  const vmx = lab.main.getByRole('region', { name: /Contents of .*app-01\.vmx$/ });
  await expect(vmx.locator('[data-field="encryption.keySafe"]')).toContainText(await fact(lab.main, 'KEK key ID').innerText());
});

test('an encrypted VM that is on refuses a deep re-key with vSphere’s reason, next to the button', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('db-01', /db-01/);
  await lab.main.getByLabel(/^Deep/).check();
  const refused = await lab.runAction('Deep re-key');
  expect(refused.ok).toBe(false);
  expect(refused.text).toMatch(/powered off/i);
});

test('a deep re-key shows its progress and gives the disk a new DEK', async ({ page }) => {
  const lab = await openWithVmPoweredOff(page, 'web-01');
  const dekBefore = (await fact(lab.main, 'DEK fingerprint').innerText()).trim();
  await recordProgress(page);
  await lab.main.getByLabel(/^Deep/).check();
  const done = await lab.runAction('Deep re-key');
  expect(done.ok, done.text).toBe(true);
  const shown = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(shown.length, 'the progress bar was shown').toBeGreaterThan(0);
  await expect(lab.main.getByTestId('vm-operation')).toHaveCount(0);
  await expect(fact(lab.main, 'DEK fingerprint')).not.toHaveText(dekBefore);

  expect((await lab.runAction(/^Power on/)).ok).toBe(true);
  await expect(await lab.vm.readGuestFile('index.html')).toContainText('Welcome to the lab shop');
});

test('a reload in the middle of a deep re-key: it completes afterwards with the data intact', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = await openWithVmPoweredOff(page, 'db-01');
  const dekBefore = (await fact(lab.main, 'DEK fingerprint').innerText()).trim();

  // Reload the moment the bar shows work done but not finished, as a learner's F5 (or a crash) would land.
  await page.evaluate(() => {
    const obs = new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="vm-operation"] [role="progressbar"]');
      if (!bar) return;
      const now = Number(bar.getAttribute('aria-valuenow'));
      const max = Number(bar.getAttribute('aria-valuemax'));
      if (now > 0 && now < max) {
        obs.disconnect();
        sessionStorage.setItem('e2e-reloaded-at', `${now}/${max}`);
        location.reload();
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await lab.main.getByLabel(/^Deep/).check();
  await lab.main.getByRole('button', { name: 'Deep re-key' }).click();
  await page.waitForEvent('framenavigated', { timeout: 30_000 });
  await lab.waitReady();
  const at = await page.evaluate(() => sessionStorage.getItem('e2e-reloaded-at'));
  expect(at, 'reloaded halfway').toMatch(/^\d+\/\d+$/);
  await expect(page).toHaveURL(/#\/vm\/db-01$/);
  await lab.shot('vm-after-reload-mid-rekey');

  // The lab resumes the journaled run by itself on opening; the VM ends with a new DEK and every byte intact.
  await expect(lab.main.getByTestId('vm-operation')).toHaveCount(0, { timeout: 60_000 });
  await expect(fact(lab.main, 'DEK fingerprint')).not.toHaveText(dekBefore);
  // The event log says the run was picked up from its journal, not started over or finished before the reload.
  await expect(lab.events.filter({ hasText: /resumed/i })).toHaveCount(1);
  expect((await lab.runAction(/^Power on/)).ok).toBe(true);
  const file = await lab.vm.readGuestFile('customers.csv');
  await expect(file).toContainText('1,Ada Lovelace,4111-1111-1111-1111');
  await expect(file).toContainText('2,Alan Turing,5500-0000-0000-0004');
});
