// Going back in the sandbox as a learner: encrypt app-01, write a file in its guest, destroy vCenter; "Go back to
// here" on the event before the destroy asks first (what is undone, fresh keys, Redo), rebuilds the lab with progress,
// and vCenter is back with the VM encrypted and its file readable. A reload keeps Redo; Redo (Ctrl+Shift+Z) destroys
// vCenter again; going back once more and doing something new ends Redo. On a phone the event cards offer the same.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, fact, LabPage } from './pages/lab-page';

const FILE = 'before-the-fall.txt';
const TEXT = 'Written before vCenter was lost.';

/** Records every "Rebuilding the lab…" message the opening screen shows (it may be on screen only briefly). */
async function recordRebuilding(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __rebuilding: string[] };
    w.__rebuilding = [];
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[role="status"], p, div')) {
        const text = el.textContent ?? '';
        if (/^Rebuilding the lab/.test(text) && !w.__rebuilding.includes(text)) w.__rebuilding.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

function goBackButtons(page: Page) {
  return page.getByRole('button', { name: /^Go back to here/ });
}

/** Opens "Go back to here" on the newest event that offers it (the one just before the last step's events). */
async function askToGoBackToNewest(page: Page) {
  await goBackButtons(page).first().click();
  const dialog = page.getByRole('dialog', { name: 'Go back to here?' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function writeGuestFile(lab: LabPage) {
  await lab.main.getByLabel('File name').fill(FILE);
  await lab.main.getByLabel('Text', { exact: true }).fill(TEXT);
  await lab.main.getByRole('button', { name: 'Save file' }).click();
  await expect(lab.main.getByRole('region', { name: `Contents of ${FILE}` })).toHaveText(TEXT);
}

test('go back to before vCenter was destroyed, keep Redo over a reload, redo the destroy, and end Redo by doing something new', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.select('app-01', /app-01/);
  await lab.runOk('Power off');
  await lab.runOk('Encrypt');
  await lab.runOk(/^Power on/);
  await writeGuestFile(lab);
  await lab.destroyVcenter();
  // The destroy is the last step: its own events offer no going back (nothing after them to undo).
  await expect(lab.events.first().getByRole('button', { name: /^Go back to here/ })).toHaveCount(0);

  const dialog = await askToGoBackToNewest(page);
  await expect(dialog.getByTestId('steps-undone').getByRole('listitem')).toHaveText(['Destroy vCenter']);
  await expect(dialog.getByLabel(/^Keep what was done right after this event/)).toBeChecked();
  await expect(dialog).toContainText(`Write ${FILE} in the guest of app-01`);
  await expect(dialog).toContainText('NKP backup file you downloaded from this lab holds keys the rebuilt lab no longer has');
  await expect(dialog).toContainText('Redo does the undone steps again, one at a time, until you do something new');
  // Unticking the quiet step undoes it too; ticked again, only the destroy.
  await dialog.getByLabel(/^Keep what was done/).uncheck();
  await expect(dialog.getByTestId('steps-undone').getByRole('listitem')).toHaveText([`Write ${FILE} in the guest of app-01`, 'Destroy vCenter']);
  await dialog.getByLabel(/^Keep what was done/).check();
  await expectNoAxeViolations(page, 'the Go back dialog');
  await lab.shot('rewind-dialog-1280-light');

  await recordRebuilding(page);
  await dialog.getByRole('button', { name: 'Go back', exact: true }).click();
  await lab.waitReady();
  const bar = page.getByTestId('rewind-bar');
  await expect(bar).toContainText('The lab is back as it was after step 4.');
  const redo = bar.getByRole('button', { name: 'Redo: Destroy vCenter' });
  await expect(redo).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { __rebuilding: string[] }).__rebuilding);
  expect(seen.some((m) => /^Rebuilding the lab up to step 4…/.test(m)), seen.join(' | ')).toBe(true);

  // vCenter is back, app-01 encrypted by the same provider, and its file reads back through the rebuilt keys.
  await lab.goTo('#/vcenter');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'No vCenter Server' })).toHaveCount(0);
  await lab.goTo('#/vm/app-01', /app-01/);
  await expect(fact(lab.main, 'Encryption')).toContainText('Encrypted with KMS-Cluster');
  await expect(await lab.vm.readGuestFile(FILE)).toHaveText(TEXT);
  await expectNoAxeViolations(page, 'the workspace after going back');
  await lab.shot('rewind-after-1280-light');
  await lab.setTheme('dark');
  await lab.shot('rewind-after-1280-dark');
  await lab.setTheme('light');

  // A reload keeps what is to redo (the notice was for the moment).
  await page.reload();
  await lab.waitReady();
  await expect(page.getByTestId('rewind-bar')).not.toContainText('The lab is back');
  await expect(page.getByRole('button', { name: 'Redo: Destroy vCenter' })).toBeVisible();

  // Redo from the keyboard: vCenter is destroyed again, and nothing is left to redo.
  await lab.goTo('#/vcenter');
  await page.locator('body').press('Control+Shift+Z');
  await expect(page.getByTestId('rewind-bar')).toContainText('Redone: Destroy vCenter.');
  await lab.expectHeading('No vCenter Server');
  await expect(page.getByRole('button', { name: /^Redo:/ })).toHaveCount(0);

  // Back before the destroy once more; something new (app-01 powered off) ends Redo.
  const again = await askToGoBackToNewest(page);
  await again.getByRole('button', { name: 'Go back', exact: true }).click();
  await lab.waitReady();
  await expect(page.getByRole('button', { name: 'Redo: Destroy vCenter' })).toBeVisible();
  await lab.goTo('#/vm/app-01', /app-01/);
  await lab.runOk('Power off');
  await expect(page.getByRole('button', { name: /^Redo:/ })).toHaveCount(0);
});

test('on a phone the event cards offer Go back to here, and the dialog and Redo fit the screen, light and dark', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/app-01');
  await lab.expectHeading(/app-01/);
  await lab.runOk('Power off');
  await lab.runOk('Encrypt');
  await page.getByRole('button', { name: 'Events', exact: true }).click();
  for (const theme of ['light', 'dark'] as const) {
    await lab.setTheme(theme);
    const dialog = await askToGoBackToNewest(page);
    await expect(dialog.getByTestId('steps-undone').getByRole('listitem')).toHaveText(['Encrypt app-01']);
    await expectNoAxeViolations(page, `the Go back dialog on a phone (${theme})`);
    await lab.shot(`rewind-dialog-390-${theme}`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }
  const dialog = await askToGoBackToNewest(page);
  await dialog.getByRole('button', { name: 'Go back', exact: true }).click();
  await lab.waitReady();
  await expect(page.getByRole('button', { name: 'Redo: Encrypt app-01' })).toBeVisible();
  await expect(fact(lab.main, 'Encryption')).toHaveText(/Not encrypted/);
  await expectNoAxeViolations(page, 'Redo on a phone (dark)');
  await lab.shot('rewind-after-390-dark');
  await lab.setTheme('light');
  await lab.shot('rewind-after-390-light');
  await page.getByRole('button', { name: 'Redo: Encrypt app-01' }).click();
  await expect(page.getByTestId('rewind-bar')).toContainText('Redone: Encrypt app-01.');
  await expect(fact(lab.main, 'Encryption')).toContainText('Encrypted with KMS-Cluster');
});

test('Redo stops before a restore of a backup file made before going back, saying why and what to do', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.keyProviders.addNative('NKP-1');
  const file = await lab.keyProviders.backUp('NKP-1', 'Rewind-Drill-2026!');
  await lab.destroyVcenterAndDeployNew();
  await lab.keyProviders.restore('NKP-1', file, 'Rewind-Drill-2026!');

  const dialog = await askToGoBackToNewest(page);
  await expect(dialog.getByTestId('steps-undone').getByRole('listitem')).toHaveText([/^Restore a key provider from .+\.p12$/]);
  await dialog.getByRole('button', { name: 'Go back', exact: true }).click();
  await lab.waitReady();
  const redo = page.getByRole('button', { name: /^Redo: Restore a key provider from/ });
  await expect(redo).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByTestId('rewind-bar')).toContainText('Redo cannot go past this step');
  await expect(page.getByTestId('rewind-bar')).toContainText('go back to before the backup and take a new one');
  await expectNoAxeViolations(page, 'Redo disabled before a restore');
  await lab.shot('rewind-redo-restore-1280-light');
});

test('a lab begun before the journal was kept offers no Go back, and says why in one line', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/app-01');
  await lab.runOk('Power off');
  await expect(goBackButtons(page).first()).toBeVisible();
  await lab.goHome();
  await expect.poll(() => lab.heldLocks()).not.toContain('keylab-lab');
  // As a keylab from before the journal saved it: no record of what the lab was built from.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('keylab');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction('savedLabs', 'readwrite');
          const store = tx.objectStore('savedLabs');
          const get = store.get('default');
          get.onsuccess = () => {
            const row = get.result as { snapshotJson: string };
            const saved = JSON.parse(row.snapshotJson) as { root: { context: Record<string, unknown> } };
            delete saved.root.context.start;
            store.put({ ...row, snapshotJson: JSON.stringify(saved) });
          };
          tx.oncomplete = () => {
            req.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await lab.open('#/vm/app-01');
  await expect(page.getByTestId('go-back-note')).toHaveText(/^Go back to here is not offered: This lab was begun before keylab kept a journal/);
  await expect(goBackButtons(page)).toHaveCount(0);
  await expect(fact(lab.main, 'Power')).toHaveText('off');
});
