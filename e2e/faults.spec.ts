// Faults as a learner throws them: a hung KMS node makes vCenter wait 60 s (a visible countdown, which can be
// fast-forwarded) before it tries the next node; a host without TPM rebooted while vCenter is down cannot bring its
// encrypted VM back, and the refusal says why.
import { expect, test } from '@playwright/test';
import { chooseOption, fact, LabPage } from './pages/lab-page';
import { openWithVmEncryptedAndRunning } from './pages/openings';

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
  // app-01 runs on esx-03 (no TPM): encrypt it with the standard provider, power it on.
  const lab = await openWithVmEncryptedAndRunning(page, 'app-01');

  // vCenter is lost (the vCenter page then says there is no vCenter Server).
  await lab.destroyVcenter();

  // The host reboots: its RAM keys are gone, and it has no TPM to keep anything.
  await lab.goTo('#/host/esx-03', /esx-03/);
  await lab.runOk('Reboot');
  await expect(lab.main.getByRole('region', { name: /Keys in RAM/ }).or(lab.main.locator('section', { hasText: 'Keys in RAM' }))).toContainText(
    'No keys in memory.',
  );

  await lab.goTo('#/vm/app-01', /app-01/);
  await lab.runRefused(/^Power on/, /key|KEK|vCenter|KeyState/i);
  await lab.shot('faults-no-tpm-no-vcenter');
});

test('a TPM-only Native Key Provider refuses to encrypt a VM on a host without TPM 2.0', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.keyProviders.addNative('nkp-tpm');
  // Backed up without a password: the dialog warns that anyone who copies the file can decrypt the VMs.
  await lab.keyProviders.backUp('nkp-tpm', null);
  // Only the TPM hosts received the KDK.
  const card = lab.keyProviders.card('nkp-tpm');
  await expect(fact(card, 'Hosts with the KDK')).toContainText('esx-01');
  await expect(fact(card, 'Hosts with the KDK')).not.toContainText('esx-03');

  await lab.select('app-01', /app-01/);
  await lab.runOk('Power off');
  await chooseOption(lab.main.getByLabel('Key provider for encryption'), 'nkp-tpm');
  await lab.runRefused('Encrypt', 'TPM2 Device is Required');
  await lab.shot('faults-nkp-needs-tpm');
});
