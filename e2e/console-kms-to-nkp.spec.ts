// The KMS-to-NKP lesson (lesson 2) done from the PowerCLI console: Set-VM -KeyProvider moves the running VMs to NKP-1
// (shallow), Set-VMEncryptionKey -Deep re-keys the powered-off one, Restart-VMHost and Start-VM prove no VM needs the
// KMS. KMS administration has no cmdlet (PowerCLI talks to vCenter, not to the key server), so taking the KMS nodes
// down and revoking the old keys are done in the UI, on the KMS nodes' pages; removing the provider is done in the UI
// too (the lab's PowerCLI has no Remove-KeyProvider; Remove-KeyManagementServer is not in the console). Predictions are
// answered in the panel, the first choice each; the lesson's wording is not asserted.
import { expect, test, type Page } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';
import { consoleInput, consoleLog, openConsole, typeAndRun } from './pages/powercli-console';

/** Types a line and waits until it has run, with no error (these re-keys can take longer than the default wait). */
const type = (page: Page, line: string) => typeAndRun(page, line, 90_000);

test('KMS to NKP from the console: Set-VM -KeyProvider, a deep re-key, reboots survived without the KMS', async ({ page }) => {
  test.setTimeout(300_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('kms-to-nkp');
  await openConsole(page);
  await type(page, 'Connect-VIServer -Server vcsa-01.lab.local');
  await type(page, '$nkp = Get-KeyProvider -Name NKP-1');
  await type(page, 'Get-VM | Where-Object { $_.PowerState -eq "PoweredOn" } | Set-VM -KeyProvider $nkp -Confirm:$false');
  await lab.expectStep('shallow-running', 'done');

  await lab.predictFirstChoices();
  await openConsole(page);
  await type(page, 'Get-VM archive-01 | Set-VMEncryptionKey -Deep -KMSClusterId NKP-1');
  await lab.expectStep('deep-archive', 'done');

  await lab.predictFirstChoices();
  // KMS administration: no cmdlet, so the UI (the KMS nodes' pages).
  for (const kms of ['kms-a', 'kms-b']) {
    await lab.goTo(`#/kms/${kms}`);
    expect((await lab.runAction('Take down')).ok).toBe(true);
  }
  await openConsole(page);
  await type(page, 'Get-VMHost | Restart-VMHost -Confirm:$false');
  await expect(async () => {
    await consoleInput(page).fill("Start-VM -VM db-01, web-01, archive-01; Get-VM | Select-Object Name, PowerState");
    await consoleInput(page).press('Enter');
    const last = consoleLog(page).getByTestId('powercli-entry').last();
    for (const vm of ['db-01', 'web-01', 'archive-01']) await expect(last).toContainText(new RegExp(`${vm} +PoweredOn`), { timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  await lab.expectStep('prove-without-kms', 'done');

  // Decommission: revoking the old keys is the KMS administrator's act (no cmdlet), and so, here, is removing the provider.
  await lab.goTo('#/kms/kms-a');
  const revoke = lab.main.getByRole('button', { name: /^Revoke key / });
  const keys = await revoke.count();
  expect(keys).toBeGreaterThan(0);
  for (let i = 0; i < keys; i++) {
    const button = revoke.nth(i);
    await button.click();
    expect((await lab.resultBeside(button)).ok).toBe(true);
  }
  await lab.goTo('#/providers');
  await lab.main.getByRole('button', { name: 'Remove KMS-Cluster…' }).click();
  await lab.dialog('Remove key provider KMS-Cluster?').getByRole('button', { name: 'Remove', exact: true }).click();
  await lab.expectStep('decommission', 'done');

  await expect(lab.summary.getByRole('heading', { name: 'Lesson complete' })).toBeVisible({ timeout: 30_000 });
  const total = await lab.panel.locator('li[data-step]').count();
  await expect(lab.panel.locator('li[data-step][data-state="done"]')).toHaveCount(total);
  await expect(lab.summary.getByTestId('lesson-score')).toContainText(`${total} of ${total}`);
  await lab.expectProofOk();
});
