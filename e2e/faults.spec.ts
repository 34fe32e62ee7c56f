// Faults as a learner throws them: a hung KMS node makes vCenter wait 60 s (a visible countdown, which can be
// fast-forwarded) before it tries the next node; a host without TPM rebooted while vCenter is down cannot bring its
// encrypted VM back, and the refusal says why.
import { expect, test } from '@playwright/test';
import { fact, LabPage } from './pages/lab-page';

test('a hung KMS node: the 60 s wait counts down, fast-forward, the next node answers', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('kms-a', /kms-a/);
  const hung = await lab.runAction('Make hung');
  expect(hung.ok, hung.text).toBe(true);
  await expect(lab.main.getByText('Hung (not responding)').first()).toBeVisible();

  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const encrypt = lab.main.getByRole('button', { name: 'Encrypt' });
  await encrypt.click();

  // vCenter asked kms-a first and is waiting for an answer that will not come.
  const countdown = lab.main.getByTestId('wait-countdown');
  await expect(countdown).toBeVisible();
  await expect(countdown).toHaveText(/^(1:00|0:[0-5]\d)$/);
  const first = await countdown.innerText();
  await expect(countdown).not.toHaveText(first, { timeout: 3_000 });
  await lab.shot('faults-kms-hung-countdown');

  await lab.main.getByRole('button', { name: 'Fast-forward' }).click();
  const outcome = await lab.resultBeside(encrypt);
  expect(outcome.ok, outcome.text).toBe(true);
  await expect(countdown).toHaveCount(0);
  // The page's view follows the command's result within a moment.
  const keyIdFact = fact(lab.main, 'KEK key ID');
  await expect(keyIdFact).toHaveText(/^[0-9a-f-]{36}$/);
  const keyId = (await keyIdFact.innerText()).trim();

  // The key came from kms-b, the next node in the provider's order.
  await lab.select('kms-b', /kms-b/);
  await expect(lab.main.getByRole('table', { name: /Keys on kms-b/ })).toContainText(keyId);
});

test('a host without TPM rebooted while vCenter is down cannot power its encrypted VM back on', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();

  // app-01 runs on esx-03 (no TPM): encrypt it with the standard provider, power it on.
  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const encrypted = await lab.runAction('Encrypt');
  expect(encrypted.ok, encrypted.text).toBe(true);
  expect((await lab.runAction(/^Power on/)).ok).toBe(true);

  // vCenter is lost.
  await lab.goTo('#/vcenter');
  await lab.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
  await lab.dialog(/Destroy vCenter/).getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
  await expect(lab.main.getByRole('heading', { level: 1, name: 'No vCenter Server' })).toBeVisible();

  // The host reboots: its RAM keys are gone, and it has no TPM to keep anything.
  await lab.goTo('#/host/esx-03');
  await expect(lab.main.getByRole('heading', { level: 1, name: /esx-03/ })).toBeVisible();
  const reboot = await lab.runAction('Reboot');
  expect(reboot.ok, reboot.text).toBe(true);
  await expect(lab.main.getByRole('region', { name: /Keys in RAM/ }).or(lab.main.locator('section', { hasText: 'Keys in RAM' }))).toContainText(
    'No keys in memory.',
  );

  await lab.goTo('#/vm/app-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: /app-01/ })).toBeVisible();
  const on = await lab.runAction(/^Power on/);
  expect(on.ok).toBe(false);
  expect(on.text).toMatch(/key|KEK|vCenter|KeyState/i);
  await lab.shot('faults-no-tpm-no-vcenter');
});

test('a TPM-only Native Key Provider refuses to encrypt a VM on a host without TPM 2.0', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Add Native Key Provider…' }).click();
  const add = lab.dialog('Add Native Key Provider');
  await add.getByLabel('Name').fill('nkp-tpm');
  await add.getByRole('button', { name: 'Add key provider' }).click();
  await expect(add).toBeHidden();
  const card = lab.main.locator('article[data-provider="nkp-tpm"]');
  await card.getByRole('button', { name: 'Back up nkp-tpm…' }).click();
  const backup = lab.dialog(/Back up Native Key Provider/);
  await backup.getByLabel(/Protect Native Key Provider data with password/).uncheck();
  await expect(backup).toContainText('anyone who copies the file can decrypt your VMs');
  const downloading = page.waitForEvent('download');
  await backup.getByRole('button', { name: 'Back up key provider' }).click();
  await downloading;
  await expect(card.getByText('Active', { exact: true })).toBeVisible({ timeout: 20_000 });
  // Only the TPM hosts received the KDK.
  await expect(fact(card, 'Hosts with the KDK')).toContainText('esx-01');
  await expect(fact(card, 'Hosts with the KDK')).not.toContainText('esx-03');

  await lab.select('app-01', /app-01/);
  expect((await lab.runAction('Power off')).ok).toBe(true);
  const select = lab.main.getByLabel('Key provider for encryption');
  const value = await select.locator('option', { hasText: 'nkp-tpm' }).getAttribute('value');
  await select.selectOption(value ?? '');
  const refused = await lab.runAction('Encrypt');
  expect(refused.ok).toBe(false);
  expect(refused.text).toContain('TPM2 Device is Required');
  await lab.shot('faults-nkp-needs-tpm');
});
