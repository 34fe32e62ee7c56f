// The Key Providers page as a learner works it (reached as `lab.keyProviders`): add a Native or Standard Key Provider,
// back an NKP up (the .p12 really downloads, and is kept in the test's output folder), restore one from its file.
import { expect, test, type Locator } from '@playwright/test';
import type { LabPage } from './lab-page';

/** The Add Native Key Provider dialog's "TPM protected hosts only" box (ticked unless the learner unticks it). */
export const TPM_ONLY = /Use key provider only with TPM protected ESXi hosts/;

export class KeyProvidersPage {
  constructor(private readonly lab: LabPage) {}

  /** A provider's card on the Key Providers page. */
  card(name: string): Locator {
    return this.lab.main.locator(`article[data-provider="${name}"]`);
  }

  /** Add Native Key Provider…, named; `fill` does anything else in the dialog first (the TPM-only box). */
  addNative(name: string, fill?: (dialog: Locator) => Promise<void>) {
    return this.add('Native', name, fill);
  }

  /** Add Standard Key Provider…, named, with one KMS node (kms-a or kms-b). */
  addStandard(name: string, kms: string) {
    return this.add('Standard', name, (dialog) => dialog.getByLabel(new RegExp(`^${kms}`)).check());
  }

  /** Add Standard Key Provider…, named, over every KMS node given (a whole KMS cluster). */
  addStandardOver(name: string, kmsNodes: string[]) {
    return this.add('Standard', name, async (dialog) => {
      for (const kms of kmsNodes) await dialog.getByLabel(new RegExp(`^${kms}`)).check();
    });
  }

  /** Set as default on the provider's card; the card then says Default. */
  async setDefault(name: string) {
    await this.lab.goTo('#/providers');
    await this.card(name).getByRole('button', { name: 'Set as default' }).click();
    await expect(this.card(name).getByText('Default', { exact: true })).toBeVisible();
  }

  /** Remove <name>… on its card, confirmed; the card is gone. */
  async remove(name: string) {
    await this.lab.goTo('#/providers');
    await this.card(name).getByRole('button', { name: `Remove ${name}…` }).click();
    await this.lab.dialog(`Remove key provider ${name}?`).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(this.card(name)).toHaveCount(0);
  }

  /** Opens the Key Providers page, fills the add dialog, adds the provider and waits for the dialog to close. */
  private async add(kind: 'Native' | 'Standard', name: string, fill?: (dialog: Locator) => Promise<void>) {
    await this.lab.goTo('#/providers');
    await this.lab.main.getByRole('button', { name: `Add ${kind} Key Provider…` }).click();
    const dialog = this.lab.dialog(`Add ${kind} Key Provider`);
    await dialog.getByLabel('Name').fill(name);
    await fill?.(dialog);
    await dialog.getByRole('button', { name: 'Add key provider' }).click();
    await expect(dialog).toBeHidden();
  }

  /**
   * Back up <name>…: with a password (typed twice, "I have saved the password" ticked) or, given null, without one
   * (the dialog must warn that anyone who copies the file can decrypt the VMs). The .p12 downloads and the card turns
   * Active. Returns where the file was saved.
   */
  async backUp(name: string, password: string | null): Promise<string> {
    await this.lab.goTo('#/providers');
    const card = this.card(name);
    await card.getByRole('button', { name: `Back up ${name}…` }).click();
    const backup = this.lab.dialog(/Back up Native Key Provider/);
    if (password === null) {
      await backup.getByLabel(/Protect Native Key Provider data with password/).uncheck();
      await expect(backup).toContainText('anyone who copies the file can decrypt your VMs');
    } else {
      await backup.getByLabel('Password', { exact: true }).fill(password);
      await backup.getByLabel('Confirm password').fill(password);
      await backup.getByLabel(/I have saved the password/).check();
    }
    const downloading = this.lab.page.waitForEvent('download');
    await backup.getByRole('button', { name: 'Back up key provider' }).click();
    const download = await downloading;
    const file = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(file);
    await expect(card.getByText('Active', { exact: true })).toBeVisible({ timeout: 20_000 });
    return file;
  }

  /** Restore from backup…: picks the .p12, types its password and clicks Restore. Returns the dialog, which stays
   *  open while the password is checked and shows a refusal there. */
  async submitRestore(file: string, password: string): Promise<Locator> {
    await this.lab.goTo('#/providers');
    await this.lab.main.getByRole('button', { name: 'Restore from backup…' }).click();
    const restore = this.lab.dialog(/Restore Native Key Provider/);
    await restore.getByLabel('Backup file (.p12)').setInputFiles(file);
    await restore.getByLabel('Password').fill(password);
    await restore.getByRole('button', { name: 'Restore', exact: true }).click();
    return restore;
  }

  /** Restores the Native Key Provider `name` from its .p12: the dialog closes and the provider's card is back. */
  async restore(name: string, file: string, password: string) {
    const restore = await this.submitRestore(file, password);
    await expect(restore).toBeHidden({ timeout: 30_000 });
    await expect(this.card(name)).toBeVisible();
  }
}
