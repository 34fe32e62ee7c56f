// "Show clicks as PowerCLI": with the toggle on, a click in the UI shows in the console as a comment and the one-liner
// that does the same (or why there is none); "Put in prompt" hands it to the command line, and the line runs as it is
// in a fresh lab. Screenshots at laptop and phone widths, light and dark; axe clean.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, LabPage } from './pages/lab-page';
import { consoleInput, consoleLog, openConsole } from './pages/powercli-console';

async function type(page: Page, line: string) {
  await consoleInput(page).fill(line);
  await consoleInput(page).press('Enter');
}

test('a click shows as its PowerCLI one-liner, which runs as it is in a fresh lab', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await openConsole(page);
  // Keyboard: the toggle is a checkbox reached and ticked like any other.
  const showClicks = page.getByRole('checkbox', { name: 'Show clicks as PowerCLI' });
  await showClicks.focus();
  await page.keyboard.press('Space');
  await expect(showClicks).toBeChecked();

  await lab.select('app-01', /app-01/);
  await lab.runOk('Power off');
  await lab.runOk('Encrypt');
  const clicks = consoleLog(page).getByTestId('powercli-click');
  await expect(clicks.filter({ hasText: '# You clicked: Power off app-01' })).toContainText('Stop-VM -VM app-01 -Confirm:$false');
  const encrypt = clicks.filter({ hasText: '# You clicked: Encrypt app-01' });
  await expect(encrypt).toContainText('Get-VM app-01 | Enable-VMEncryption');

  // What the console runs itself is not shown back as a click.
  await type(page, 'Connect-VIServer vcsa-01.lab.local; Stop-VM web-01 -Confirm:$false');
  await expect(consoleLog(page)).toContainText(/web-01 +PoweredOff/);
  await expect(clicks.filter({ hasText: 'web-01' })).toHaveCount(0);

  // An action with no cmdlet says so.
  await lab.keyProviders.addNative('NKP-Clicks');
  await expect(clicks.filter({ hasText: '# You clicked: Add Native Key Provider NKP-Clicks' })).toContainText('no cmdlet that adds a Native Key Provider');

  for (const theme of ['light', 'dark'] as const) {
    await page.setViewportSize({ width: 1280, height: 720 });
    await lab.setTheme(theme);
    await openConsole(page);
    await encrypt.scrollIntoViewIfNeeded();
    await expectNoAxeViolations(page, `console with clicks as PowerCLI (${theme}, 1280 px)`);
    await lab.shot(`console-clicks-1280-${theme}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await openConsole(page);
    await encrypt.scrollIntoViewIfNeeded();
    await expectNoAxeViolations(page, `console with clicks as PowerCLI (${theme}, 390 px)`);
    await lab.shot(`console-clicks-390-${theme}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await lab.setTheme('light');

  // In a fresh lab the one-liner, put in the prompt by its button, does what the click did.
  await lab.resetLab();
  await openConsole(page);
  // Reset lab cleared the console's history with the lab it was typed at.
  await consoleInput(page).press('ArrowUp');
  await expect(consoleInput(page)).toHaveValue('');
  await type(page, 'Connect-VIServer vcsa-01.lab.local; Stop-VM -VM app-01 -Confirm:$false');
  await expect(consoleLog(page)).toContainText(/app-01 +PoweredOff/);
  await type(page, 'Get-VM app-01 | Enable-VMEncryption');
  await type(page, 'Get-Task | Wait-Task; Get-VM app-01 | Select-Object Name, KeyProvider');
  await expect(consoleLog(page)).toContainText(/app-01 +KMS-Cluster/, { timeout: 30_000 });
});

test('"Put in prompt" hands the one-liner to the command line', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await openConsole(page);
  await page.getByRole('checkbox', { name: 'Show clicks as PowerCLI' }).check();
  await lab.select('web-01', /web-01/);
  await lab.runOk('Power off');
  await consoleLog(page).getByRole('button', { name: 'Put in the prompt: Stop-VM -VM web-01 -Confirm:$false' }).click();
  await expect(consoleInput(page)).toHaveValue('Stop-VM -VM web-01 -Confirm:$false');
  await expect(consoleInput(page)).toBeFocused();
});
