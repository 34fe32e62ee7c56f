// The PowerCLI console as the console specs drive it: its transcript and its prompt, opening its dock, and typing a line
// that must run without an error.
import { expect, type Page } from '@playwright/test';

export const consoleLog = (page: Page) => page.getByRole('log', { name: 'PowerCLI output' });
export const consoleInput = (page: Page) => page.getByRole('textbox', { name: 'PowerCLI command' });

/** Opens the console's dock unless it is open already, and waits for its prompt. */
export async function openConsole(page: Page) {
  const toggle = page.getByRole('button', { name: 'PowerCLI console' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(consoleInput(page)).toBeVisible({ timeout: 20_000 });
}

/**
 * Types a line and waits until it has run (its entry is in the transcript, which keeps its last 201, and the prompt is
 * free again); the line must write no error. Returns its entry.
 */
export async function typeAndRun(page: Page, line: string, timeout = 60_000) {
  const entries = consoleLog(page).getByTestId('powercli-entry');
  const before = await entries.count();
  await consoleInput(page).fill(line);
  await consoleInput(page).press('Enter');
  await expect(entries).toHaveCount(Math.min(before + 1, 201), { timeout });
  const last = entries.last();
  await expect(last.locator('[data-stream=error]'), `${line} wrote an error`).toHaveCount(0);
  return last;
}
