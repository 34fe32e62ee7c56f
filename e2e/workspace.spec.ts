// The workspace shell driven as a learner would: the inventory tree by keyboard and by mouse, the hash routes,
// the theme (remembered), the user switch, the event console's filter, losing vCenter and deploying a new one,
// and "Reset lab", which asks before it destroys anything.
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/lab-page';

test.describe('lab workspace', () => {
  test('the inventory tree works with the keyboard', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    const vcenter = lab.treeItem('vcsa-01.lab.local');
    await expect(vcenter).toHaveAttribute('aria-expanded', 'true');
    // Only one item is in the tab order; Tab from the header lands on it.
    await expect(lab.tree.locator('[role=treeitem][tabindex="0"]')).toHaveCount(1);
    await vcenter.focus();
    await expect(vcenter).toBeFocused();

    await page.keyboard.press('ArrowDown');
    await expect(lab.treeItem('DC-Lab')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(lab.treeItem('Cluster-01')).toBeFocused();
    await page.keyboard.press('ArrowRight'); // open already: steps into the first host
    await expect(lab.treeItem('esx-01.lab.local')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/host\/esx-01$/);
    await expect(lab.main.getByRole('heading', { level: 1, name: /esx-01/ })).toBeVisible();
    await expect(lab.treeItem('esx-01.lab.local')).toHaveAttribute('aria-selected', 'true');
    // Focus stayed in the tree, so the learner can keep walking it.
    await expect(lab.treeItem('esx-01.lab.local')).toBeFocused();

    // The host's VM is one level down; Left goes back up to the host, Left again to the cluster.
    await page.keyboard.press('ArrowDown');
    await expect(lab.treeItem('db-01')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(page).toHaveURL(/#\/vm\/db-01$/);
    await page.keyboard.press('ArrowLeft');
    await expect(lab.treeItem('esx-01.lab.local')).toBeFocused();
    await page.keyboard.press('ArrowLeft'); // the host's branch holds the selected VM, so it stays open
    await expect(lab.treeItem('Cluster-01')).toBeFocused();

    // Left on an open branch closes it (unless the selected page is inside), Right opens it again.
    await page.keyboard.press('End');
    await expect(lab.treeItem('Key map')).toBeFocused();
    await page.keyboard.press('Home');
    await expect(vcenter).toBeFocused();
    await page.keyboard.press('k'); // type-ahead: the next item starting with "k"
    await expect(lab.treeItem('Key Providers')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(lab.treeItem('Key Providers')).toHaveAttribute('aria-expanded', 'false');
    await expect(lab.treeItem('KMS-Cluster')).toHaveCount(0);
    await page.keyboard.press('ArrowRight');
    await expect(lab.treeItem('Key Providers')).toHaveAttribute('aria-expanded', 'true');
    await expect(lab.treeItem('KMS-Cluster')).toBeVisible();
    await lab.shot('workspace-keyboard');
  });

  test('the inventory tree works with the mouse, and Back returns to the previous page', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.select('kms-a', /kms-a/);
    await expect(page).toHaveURL(/#\/kms\/kms-a$/);
    await lab.select('ds-shared-01', /ds-shared-01/);
    await expect(page).toHaveURL(/#\/datastore\/ds-shared-01$/);
    await lab.select('Key map', 'Key map');
    await expect(page).toHaveURL(/#\/keymap$/);
    await page.goBack();
    await expect(page).toHaveURL(/#\/datastore\/ds-shared-01$/);
    await expect(lab.treeItem('ds-shared-01')).toHaveAttribute('aria-selected', 'true');
    // The arrow beside a branch folds it without opening a page.
    await lab.treeItem('KMS nodes').locator(':scope > div > span').first().click();
    await expect(lab.treeItem('KMS nodes')).toHaveAttribute('aria-expanded', 'false');
    await expect(lab.treeItem('kms-a')).toHaveCount(0);
  });

  test('the theme toggles and is remembered across a reload', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.setTheme('dark');
    await expect(lab.themeToggle).toHaveAttribute('aria-pressed', 'true');
    await lab.shot('workspace-dark');
    await page.reload();
    await lab.waitReady();
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await expect(lab.themeToggle).toHaveAttribute('aria-pressed', 'true');
    await lab.setTheme('light');
    await lab.shot('workspace-light');
    await page.reload();
    await lab.waitReady();
    await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  });

  test('switching to the No cryptography administrator shows in the header and is refused crypto work', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.switchUser('No cryptography administrator');
    await expect(page.getByRole('banner')).toContainText('no Cryptographer.* privileges');
    // A cryptographic operation is refused, with the reason shown where the learner clicked.
    await lab.select('Key Providers', /Key Providers/);
    await lab.main.getByRole('button', { name: 'Add Native Key Provider…' }).click();
    const dialog = lab.dialog('Add Native Key Provider');
    await dialog.getByLabel('Name').fill('nkp-denied');
    await dialog.getByRole('button', { name: 'Add key provider' }).click();
    await expect(dialog.locator('[data-result="refused"]')).toContainText(/Cryptographer|permission/i);
    await lab.shot('workspace-no-crypto-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(lab.treeItem('nkp-denied')).toHaveCount(0);
    await lab.switchUser('Administrator');
    await expect(page.getByRole('banner')).not.toContainText('no Cryptographer.* privileges');
  });

  test('the event console lists events newest first and filters them', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await expect(lab.events.first()).toBeVisible();
    const before = await lab.events.count();
    await lab.switchUser('No cryptography administrator');
    await expect(lab.events).toHaveCount(before + 1);
    // Newest first: the sign-in is the top row.
    await expect(lab.events.first()).toContainText('UserLoginSessionEvent');
    const filter = page.getByLabel('Filter', { exact: true });
    await filter.fill('UserLoginSession');
    await expect(lab.events).toHaveCount(1);
    await expect(page.getByTestId('event-count')).toHaveText(`1 of ${before + 1} events`);
    const user = await lab.userSelect.inputValue();
    await expect(lab.events.first()).toContainText(user);
    await filter.fill('no such thing anywhere');
    await expect(page.getByText('No event matches the filter.')).toBeVisible();
    await filter.fill('');
    // The list can be made taller or shorter from the keyboard, and keeps its size across a reload.
    const list = page.getByRole('region', { name: 'Event list' });
    const height = async () => (await list.boundingBox())?.height ?? 0;
    const initial = await height();
    const handle = page.getByRole('separator', { name: 'Resize the event list' });
    await handle.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(height).toBeGreaterThan(initial + 50);
    const taller = await height();
    await page.reload();
    await lab.waitReady();
    await expect.poll(height).toBeCloseTo(taller, -1);
    await page.getByRole('separator', { name: 'Resize the event list' }).focus();
    await page.keyboard.press('End');
    await expect.poll(height).toBeLessThan(initial);

    await page.getByRole('button', { name: 'Events' }).click();
    await expect(page.getByRole('region', { name: 'Event list' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Events' }).click();
    await expect(page.getByRole('region', { name: 'Event list' })).toBeVisible();
  });

  test('without vCenter the tree says so and offers to deploy a new one', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.destroyVcenter();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Inventory' });
    await expect(nav).toContainText('vCenter Server is destroyed.');
    // The hosts keep running their VMs, which no vCenter has registered any more.
    await expect(lab.treeItem('ESXi hosts (no vCenter)')).toBeVisible();
    await expect(lab.treeItem('app-01')).toHaveAttribute('aria-label', /unregistered/);
    await expect(lab.treeChildren('esx-03.lab.local').getByRole('treeitem', { name: /^app-01/ })).toBeVisible();
    await expect(page.getByLabel('Signed in as')).toHaveCount(0);
    await lab.shot('workspace-vcenter-destroyed');
    // On success the notice (and its button) goes away: the new vCenter in the tree is the result.
    await nav.getByRole('button', { name: 'Deploy a new vCenter' }).click();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
    await expect(nav).not.toContainText('vCenter Server is destroyed.');
  });

  test('Reset lab asks first, and Cancel keeps everything', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.destroyVcenter();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();

    await page.getByRole('button', { name: 'Reset lab…' }).click();
    const dialog = lab.dialog('Reset the lab?');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('cannot be undone');
    await lab.shot('workspace-reset-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
    // Escape cancels too.
    await page.getByRole('button', { name: 'Reset lab…' }).click();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();

    await lab.resetLab();
    await expect(lab.treeItem('vcsa-01.lab.local')).toBeVisible();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toHaveCount(0);
  });

  test('the header counts a KMS wait down, and fast-forward ends it', async ({ page }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    // kms-a hangs; after a reboot esx-01 no longer holds db-01's KEK, so powering db-01 on makes vCenter ask kms-a.
    await lab.select('kms-a', /kms-a/);
    expect((await lab.runAction('Make hung')).ok).toBe(true);
    await lab.select('esx-01.lab.local', /esx-01/);
    expect((await lab.runAction('Reboot')).ok).toBe(true);
    await lab.select('db-01', /db-01/);
    const powerOn = lab.main.getByRole('button', { name: 'Power on' });
    await powerOn.click();

    const wait = page.getByRole('banner').getByTestId('pending-wait');
    await expect(wait).toContainText('kms-a');
    const seconds = async () => Number((await wait.getByRole('timer').innerText()).replace(/\D/g, ''));
    const first = await seconds();
    expect(first).toBeGreaterThan(50);
    expect(first).toBeLessThanOrEqual(60);
    await expect.poll(seconds, { timeout: 5000 }).toBeLessThan(first);
    await lab.shot('workspace-kms-wait');

    await page.getByRole('banner').getByRole('button', { name: /^Fast-forward \d+ s$/ }).click();
    await expect(wait).toHaveCount(0);
    // vCenter gave up on kms-a and got the key from kms-b: the VM powers on.
    const outcome = await lab.resultBeside(powerOn);
    expect(outcome.ok, outcome.text).toBe(true);
    await expect(page.getByTestId('lab-time')).toHaveText(/^0:0[1-9]:\d\d$/);
  });
});
