// Doomsday A (lesson 3) done from the PowerCLI console: Import-KeyProvider of the handed-out .p12 (added to the console
// with "Add a file…", with the handed-out password), Add-VMHost for each host, Restart-VMHost, Start-VM; every step
// ticks and the lesson ends on its summary. Two steps have no cmdlet and are done in the UI, as an administrator does
// them outside PowerCLI: destroying vCenter (the lesson's disaster) and deploying a new vCenter appliance (the
// installer's job, not PowerCLI's). The predictions are answered in the panel, the first choice each (the lesson's
// wording is not asserted here: its steps are checked by id and the summary by its heading and count).
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';
import { consoleInput, consoleLog, openConsole, typeAndRun } from './pages/powercli-console';

test('doomsday A from the console: Import-KeyProvider of the handed-out .p12, hosts added back, a reboot survived', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('doomsday-a');
  const { file: p12, password } = await lab.downloadHandout();

  await lab.predictFirstChoices();
  // No cmdlet destroys vCenter or deploys a new appliance: these two are done in the UI.
  await lab.destroyVcenter();
  await lab.expectStep('lose-vcenter', 'done');
  await lab.deployNewVcenter();
  await lab.expectStep('deploy', 'done');

  // From here on, only the console.
  await openConsole(page);
  await typeAndRun(page, 'Connect-VIServer -Server vcsa-01.lab.local');
  await page.getByLabel('Add a file…').setInputFiles(p12);
  const path = `C:\\backup\\${basename(p12)}`;
  await expect(consoleLog(page)).toContainText(`${path} is in the console`);
  await typeAndRun(page, `Import-KeyProvider -FilePath '${path}' -Password (ConvertTo-SecureString '${password}' -AsPlainText -Force)`);
  await lab.expectStep('restore-nkp', 'done');
  await expect((await typeAndRun(page, 'Get-KeyProvider | Select-Object Name'))).toContainText('NKP-Prod');

  await typeAndRun(page, "'esx-01.lab.local', 'esx-02.lab.local', 'esx-03.lab.local' | ForEach-Object { Add-VMHost -Name $_ -Location Cluster-01 -User root -Force }");
  await lab.expectStep('re-add-hosts', 'done');

  await lab.predictFirstChoices();
  await openConsole(page);
  await typeAndRun(page, 'Restart-VMHost -VMHost esx-01.lab.local -Confirm:$false');
  // The host comes back on its own; Start-VM waits for nothing, so it is tried until the host is up again.
  await expect(async () => {
    await consoleInput(page).fill('Start-VM -VM db-01');
    await consoleInput(page).press('Enter');
    await expect(consoleLog(page).getByTestId('powercli-entry').last()).toContainText(/db-01 +PoweredOn/, { timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await lab.expectStep('reboot-host', 'done');

  // The summary: its heading, and every step ticked (done) in the panel.
  await expect(lab.summary.getByRole('heading', { name: 'Lesson complete' })).toBeVisible({ timeout: 30_000 });
  const steps = lab.panel.locator('li[data-step]');
  const total = await steps.count();
  expect(total).toBeGreaterThanOrEqual(5);
  await expect(lab.panel.locator('li[data-step][data-state="done"]')).toHaveCount(total);
  await expect(lab.summary.getByTestId('lesson-score')).toContainText(`${total} of ${total}`);
  await lab.expectProofOk();
});
