// The PowerCLI console panel: it loads only when opened (never with /lab), acts on the same lab as the UI (a VM
// stopped from the console shows as stopped in the UI's events), asks for confirmation as PowerShell does, completes
// with Tab, walks its history, refuses hostile input without hanging, and passes axe in both themes at laptop and
// phone widths.
import { spawnSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, LabPage } from './pages/lab-page';

const scriptsLoaded = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script').map((e) => e.name));

async function openConsole(page: Page) {
  await page.getByRole('button', { name: 'PowerCLI console' }).click();
  const input = page.getByRole('textbox', { name: 'PowerCLI command' });
  await expect(input).toBeVisible({ timeout: 20_000 });
  return input;
}

async function type(page: Page, line: string) {
  const input = page.getByRole('textbox', { name: 'PowerCLI command' });
  await input.fill(line);
  await input.press('Enter');
}

const log = (page: Page) => page.getByRole('log', { name: 'PowerCLI output' });

test('the console loads on demand and acts on the same lab as the UI', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  const before = await scriptsLoaded(page);
  const input = await openConsole(page);
  const after = await scriptsLoaded(page);
  // The console's code (parser, interpreter, cmdlets) came with the click, not with the lab.
  expect(after.filter((s) => !before.includes(s)).length).toBeGreaterThan(0);

  await type(page, 'Connect-VIServer -Server vcsa-01.lab.local');
  await expect(log(page)).toContainText('vcsa-01.lab.local  443 administrator@vsphere.local');
  await type(page, 'Get-VM | Where-Object {$_.Name -like "db*"} | Select-Object Name, KeyProvider');
  await expect(log(page)).toContainText(/db-01 +KMS-Cluster/);

  // Stop-VM asks first, as PowerShell does; Y answers.
  await type(page, 'Stop-VM app-01');
  const confirm = log(page).getByRole('group', { name: 'Confirm' });
  await expect(confirm).toContainText('Performing the operation "Stop-VM" on target "app-01".');
  await page.keyboard.press('y');
  await expect(log(page)).toContainText(/app-01 +PoweredOff/);
  // The UI's event console shows the console's action at once.
  await expect(page.getByText('VM app-01 is powered off.').first()).toBeVisible();

  // A refusal reads as the UI's reason, with PowerShell's error layout.
  await type(page, 'Set-VM app-01 -KeyProvider KMS-Cluster -SkipHardDisks -Confirm:$false');
  await expect(log(page).locator('[data-stream=error]').last()).toContainText('FullyQualifiedErrorId : NotSupportedInLab');

  // Tab completes, up walks the history.
  await input.fill('Get-KeyP');
  await input.press('Tab');
  await expect(input).toHaveValue('Get-KeyProvider');
  await input.fill('');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('Set-VM app-01 -KeyProvider KMS-Cluster -SkipHardDisks -Confirm:$false');

  // Hostile input: errors, never a hung page.
  await type(page, `Get-VM -Name "${'x'.repeat(10_000)}"`);
  await expect(log(page).locator('[data-stream=error]').last()).toContainText('was not found');
  await type(page, `Get-VM | Where-Object ${'{'.repeat(3000)}${'}'.repeat(3000)}`);
  await expect(log(page).locator('[data-stream=error]').last()).toContainText('NestingTooDeep');
  await type(page, '1..100000 | ForEach-Object { $_ } | Measure-Object');
  await expect(log(page)).toContainText(/Count +: 100000/, { timeout: 30_000 });
  await type(page, 'Get-Unknown');
  await expect(log(page).locator('[data-stream=error]').last()).toContainText("The term 'Get-Unknown' is not recognized");
});

test('an NKP backup exported from the console is the real .p12: openssl opens it with the password', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  // PowerCLI has no cmdlet that adds a Native Key Provider: the learner adds it in the UI, backs it up from the console.
  await lab.keyProviders.addNative('NKP-Console');
  await openConsole(page);
  await type(page, 'Connect-VIServer vcsa-01.lab.local');
  await type(page, 'Export-KeyProvider -KeyProvider NKP-Console -FilePath C:\\backup\\nkp-console.p12 -Password (ConvertTo-SecureString "S3cret-pw" -AsPlainText -Force)');
  const button = log(page).getByRole('button', { name: /Download nkp-console\.p12/ });
  await expect(button).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const file = testInfo.outputPath('nkp-console.p12');
  await download.saveAs(file);
  const info = spawnSync('openssl', ['pkcs12', '-info', '-nodes', '-in', file, '-passin', 'pass:S3cret-pw'], { encoding: 'utf8' });
  expect(info.status, info.stderr).toBe(0);
  expect(`${info.stdout}${info.stderr}`).toContain('Secret bag');
  expect(info.stdout).toContain('friendlyName: NKP-Console');
  const wrong = spawnSync('openssl', ['pkcs12', '-info', '-nodes', '-in', file, '-passin', 'pass:wrong'], { encoding: 'utf8' });
  expect(wrong.status).not.toBe(0);
  // The console's backup shows in the UI: the provider is no longer "Not backed up".
  await lab.goTo('#/providers');
  await expect(lab.keyProviders.card('NKP-Console')).not.toContainText('Not backed up');
});

for (const theme of ['light', 'dark'] as const) {
  test(`the console passes axe and is shown at laptop and phone widths (${theme})`, async ({ page }) => {
    test.setTimeout(120_000);
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.setTheme(theme);
    await openConsole(page);
    await type(page, 'Connect-VIServer vcsa-01.lab.local; Get-VM');
    await expect(log(page)).toContainText('web-01');
    await type(page, 'Get-VM nothere');
    await expect(log(page).locator('[data-stream=error]').last()).toContainText('was not found');
    await expectNoAxeViolations(page, `the PowerCLI console (${theme}, 1280 px)`);
    await lab.shot(`powercli-console-1280-${theme}`);

    await page.setViewportSize({ width: 390, height: 844 });
    const toggle = page.getByRole('button', { name: 'PowerCLI console' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(page.getByRole('textbox', { name: 'PowerCLI command' })).toBeVisible();
    await type(page, 'Get-KeyProvider');
    await expect(log(page)).toContainText('KMS-Cluster');
    await expectNoAxeViolations(page, `the PowerCLI console (${theme}, 390 px)`);
    await lab.shot(`powercli-console-390-${theme}`);
    // Escape closes the sheet, focus back on its toggle.
    await page.getByRole('textbox', { name: 'PowerCLI command' }).press('Escape');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(toggle).toBeFocused();
  });
}
