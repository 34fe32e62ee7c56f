// Page object for the lab workspace: the steps every spec shares, done the way a learner does them (clicks, keys).
// Open the lab fresh (IndexedDB and localStorage cleared), pick an object in the inventory tree, run an action and
// read its result where it shows, switch user or theme (on a phone, through the header's More menu), fast-forward the
// clock, take screenshots.
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { KeyProvidersPage } from './key-providers';
import { VmPage } from './vm-page';

export const SHOTS = '/tmp/shots';

/** WCAG 2.0 and 2.1, levels A and AA: what every page of the lab is held to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The value a facts list shows beside `label` (<dt>label</dt><dd>value</dd>). */
export function fact(scope: Locator, label: string): Locator {
  return scope.locator(`dt:text-is("${label}") + dd`);
}

/** Picks the option of a <select> whose text contains `text` (its value is an id the test does not know). */
export async function chooseOption(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

/** axe on the page as it is (after a short pause for transitions), failing with each violation and where it is. */
export async function expectNoAxeViolations(page: Page, where: string) {
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const report = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, `axe violations on ${where}`).toEqual([]);
}

/** Opening the lab loads the engine and, on a fresh lab, builds and encrypts the starting disks. */
const OPEN_TIMEOUT = 45_000;

export interface ActionOutcome {
  ok: boolean;
  text: string;
}

export class LabPage {
  constructor(readonly page: Page) {}

  /** Leaves for the home page through the header's keylab link (client-side: the tab's scripts keep running). */
  async goHome() {
    await this.page.getByRole('banner').getByRole('link', { name: 'keylab' }).click();
    await expect(this.page.getByTestId('catalogue')).toBeVisible();
  }

  /** The names of the Web Locks this origin holds now (the sandbox's is keylab-lab, a lesson's keylab-lesson:<id>). */
  async heldLocks(): Promise<string[]> {
    return this.page.evaluate(async () => (await navigator.locks.query()).held?.map((l) => l.name ?? '') ?? []);
  }

  /** Wipes every IndexedDB database and localStorage of the origin (from the home page, where no lab is open). */
  async clearStorage() {
    if (!this.page.url().startsWith('http')) await this.page.goto('/');
    await this.page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      await Promise.all(
        dbs.map(
          (d) =>
            new Promise<void>((resolve) => {
              if (!d.name) return resolve();
              const req = indexedDB.deleteDatabase(d.name);
              req.onsuccess = req.onerror = req.onblocked = () => resolve();
            }),
        ),
      );
      localStorage.clear();
    });
  }

  /** A brand-new lab: storage cleared, /lab opened, the workspace ready. */
  async openFresh(hash = '') {
    await this.page.goto('/');
    await this.clearStorage();
    await this.open(hash);
  }

  /** Opens /lab (keeping whatever is saved) and waits for the workspace. */
  async open(hash = '') {
    await this.page.goto(`/lab${hash}`);
    await this.waitReady();
  }

  async waitReady() {
    await expect(this.page.getByTestId('workspace')).toBeVisible({ timeout: OPEN_TIMEOUT });
    // On a narrow screen the tree is in a drawer behind the header's Inventory button.
    await expect(this.inventoryButton.or(this.tree).first()).toBeVisible();
  }

  get tree(): Locator {
    return this.page.getByRole('tree', { name: 'Inventory' });
  }

  /** The header button that opens the inventory drawer (only below the wide layout's edge). */
  get inventoryButton(): Locator {
    return this.page.getByRole('banner').getByRole('button', { name: 'Inventory', exact: true });
  }

  /** Makes the tree visible: on a narrow screen, opens the drawer. */
  async showTree() {
    if (await this.tree.isVisible()) return;
    await this.inventoryButton.click();
    await expect(this.tree).toBeVisible();
  }

  get main(): Locator {
    return this.page.locator('main#lab-main');
  }

  /** The inventory item whose label starts with `label` (its accessible name adds its states in brackets). */
  treeItem(label: string): Locator {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.tree.getByRole('treeitem', { name: new RegExp(`^${escaped}( \\(|$)`) });
  }

  /** The items one level under an inventory item: its group, which sits beside the item's own row. */
  treeChildren(label: string): Locator {
    return this.treeItem(label).locator('xpath=following-sibling::*[@role="group"][1]');
  }

  /** Clicks an inventory item's row (not its children) and waits for its page's heading. */
  async select(label: string, heading: string | RegExp = label) {
    await this.showTree();
    await this.treeItem(label).locator(':scope > div').click();
    await this.expectHeading(heading);
  }

  /** The object page's own heading (its h1) is on screen. */
  async expectHeading(heading: string | RegExp) {
    await expect(this.main.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }

  /** Goes straight to an object page by its hash route (#/vm/db-01), as a bookmark would; with `heading`, waits for it. */
  async goTo(hash: string, heading?: string | RegExp) {
    await this.page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
    // A well-formed route: wait until the workspace shows it (main's data-route), so the next locator cannot land on
    // the page being left (its buttons and results are still on screen for a moment).
    if (/^#\/(vcenter|keymap|providers|host|vm|kms|datastore)(\/[A-Za-z0-9._-]+)?$/.test(hash)) await expect(this.main).toHaveAttribute('data-route', hash);
    if (heading !== undefined) await this.expectHeading(heading);
  }

  /** Clicks an enabled action button in `scope` (default: the object page) and returns the result shown beside it. */
  async runAction(name: string | RegExp, scope: Locator = this.main): Promise<ActionOutcome> {
    const button = scope.getByRole('button', { name, exact: typeof name === 'string' });
    await expect(button).toBeEnabled();
    await expect(button).not.toHaveAttribute('aria-disabled', 'true');
    await button.click();
    return this.resultBeside(button);
  }

  /** Runs an action that vSphere must accept (a refusal fails the test with its text). */
  async runOk(name: string | RegExp, scope?: Locator): Promise<ActionOutcome> {
    const outcome = await this.runAction(name, scope);
    expect(outcome.ok, outcome.text).toBe(true);
    return outcome;
  }

  /** Runs an action that vSphere must accept; the page's fact `label` then shows `shown` (all of it, or a pattern). */
  async runOkAndExpectFact(name: string | RegExp, label: string, shown: string | RegExp) {
    await this.runOk(name);
    await expect(fact(this.main, label)).toHaveText(shown);
  }

  /** Runs an action that vSphere must refuse, with `reason` (text or pattern) in its refusal when given. */
  async runRefused(name: string | RegExp, reason?: string | RegExp, scope?: Locator): Promise<ActionOutcome> {
    const outcome = await this.runAction(name, scope);
    expect(outcome.ok, outcome.text).toBe(false);
    if (typeof reason === 'string') expect(outcome.text).toContain(reason);
    else if (reason) expect(outcome.text).toMatch(reason);
    return outcome;
  }

  /**
   * The ok/refused result an action control shows beside itself: in the nearest enclosing box that holds a result
   * (after a success the button may have turned disabled, wrapped with its reason, so it is not always a sibling).
   * While the action runs its box shows data-result="running", so an older result elsewhere is never taken for it.
   */
  async resultBeside(control: Locator, timeout = 30_000): Promise<ActionOutcome> {
    const result = control
      // Never a box that holds the header or a docked panel: their results (a fast-forward, a lesson's show me) are
      // not this control's, and a row's outcome slot may show "running" a frame after the click.
      .locator('xpath=ancestor::*[descendant::*[@data-result]][not(descendant::header)][not(descendant::aside)][1]')
      .locator('[data-result]:not([data-result="running"])')
      .first();
    await expect(result).toBeVisible({ timeout });
    return { ok: (await result.getAttribute('data-result')) === 'ok', text: (await result.innerText()).trim() };
  }

  /** Runs an action in a dialog's form: opens the dialog with `opener`, then the caller fills it in. */
  dialog(title: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name: title });
  }

  /** The Key Providers page's steps: add, back up, restore. */
  get keyProviders(): KeyProvidersPage {
    return new KeyProvidersPage(this);
  }

  /** A VM's steps: re-key, guest files, register from the datastore. */
  get vm(): VmPage {
    return new VmPage(this);
  }

  /** vCenter is lost: Destroy vCenter… on its page, confirmed; the page then says there is no vCenter Server. */
  async destroyVcenter() {
    await this.goTo('#/vcenter');
    await this.main.getByRole('button', { name: 'Destroy vCenter…' }).click();
    const confirm = this.dialog(/Destroy vCenter/);
    await confirm.getByRole('button', { name: 'Destroy vCenter', exact: true }).click();
    await expect(confirm).toBeHidden();
    await this.expectHeading('No vCenter Server');
  }

  /** A new, empty vCenter in place of the destroyed one (from the vCenter page). */
  async deployNewVcenter() {
    await this.goTo('#/vcenter');
    await this.runOk('Deploy new vCenter');
  }

  async destroyVcenterAndDeployNew() {
    await this.destroyVcenter();
    await this.deployNewVcenter();
  }

  /** The header's "More" button: below 640 px the user switch, the theme and "Reset lab…" are behind it. */
  get moreButton(): Locator {
    return this.page.getByRole('banner').getByRole('button', { name: 'More', exact: true });
  }

  /**
   * Brings a header control on screen: on a phone, opens the More menu (true when it did, so the caller can close it
   * again); elsewhere the control is always in the header.
   */
  async showHeaderControl(control: Locator): Promise<boolean> {
    if ((await control.isVisible()) || !(await this.moreButton.isVisible())) return false;
    await this.moreButton.click();
    await expect(control).toBeVisible();
    return true;
  }

  /** Closes the More menu if `opened` says showHeaderControl opened it, leaving the header as it was found. */
  private async restoreHeader(opened: boolean) {
    if (!opened) return;
    await this.moreButton.click();
    await expect(this.moreButton).toHaveAttribute('aria-expanded', 'false');
  }

  get userSelect(): Locator {
    return this.page.getByLabel('Signed in as');
  }

  async switchUser(role: 'Administrator' | 'No cryptography administrator' | 'Read-only') {
    const opened = await this.showHeaderControl(this.userSelect);
    const option = this.userSelect.locator(`option[data-role="${role}"]`);
    const value = await option.getAttribute('value');
    await this.userSelect.selectOption(value ?? '');
    await expect(this.userSelect).toHaveValue(value ?? '');
    await this.restoreHeader(opened);
  }

  get themeToggle(): Locator {
    return this.page.getByRole('button', { name: 'Dark theme' });
  }

  async setTheme(theme: 'light' | 'dark') {
    const opened = await this.showHeaderControl(this.themeToggle);
    const pressed = (await this.themeToggle.getAttribute('aria-pressed')) === 'true';
    if (pressed !== (theme === 'dark')) await this.themeToggle.click();
    await this.restoreHeader(opened);
    const html = this.page.locator('html');
    if (theme === 'dark') await expect(html).toHaveClass(/\bdark\b/);
    else await expect(html).not.toHaveClass(/\bdark\b/);
  }

  /** The header's fast-forward button (it skips the next visible wait, or a minute when nothing waits). */
  get fastForward(): Locator {
    return this.page.getByRole('banner').getByRole('button', { name: /Fast-forward/ });
  }

  get events(): Locator {
    return this.page.getByTestId('event-row');
  }

  /** Resets the lab through its confirmation dialog and waits for the fresh workspace. */
  async resetLab() {
    const opener = this.page.getByRole('button', { name: 'Reset lab…' });
    await this.showHeaderControl(opener);
    await opener.click();
    const dialog = this.dialog('Reset the lab?');
    await dialog.getByRole('button', { name: 'Reset lab', exact: true }).click();
    await this.waitReady();
  }

  /** Spoils the saved lab as another keylab version would write it (call from a page where the lab is not open). */
  async spoilSavedLab() {
    await this.page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('keylab');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction('savedLabs', 'readwrite');
            tx.objectStore('savedLabs').put({ labId: 'default', snapshotJson: '{"format":999}', savedAt: Date.now() });
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
  }

  async shot(name: string) {
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
}
