// The rough edges a newcomer hits, one test each: outcomes that outlive their state, buttons that can never apply,
// empty fingerprints and wrong counts, a "move" that re-keys VMs already there, unregistering without asking, the
// theme toggle's text, raw vSphere terms, Migrate (vMotion) with vSphere's refusal, Label in Name, event export.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, fact, LabPage } from './pages/lab-page';

/** Both KMS nodes of KMS-Cluster taken down from their pages: no key can be fetched any more. */
async function takeDownBothKmsNodes(lab: LabPage) {
  for (const kms of ['kms-a', 'kms-b']) {
    await lab.goTo(`#/kms/${kms}`, new RegExp(kms));
    await lab.runOk('Take down');
  }
}

test('an outcome belongs to the action just taken: it clears when its state changes and never pushes buttons sideways', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/app-01');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'app-01' })).toBeVisible();
  const power = lab.main.getByRole('group', { name: 'Power', exact: true });
  const powerOn = power.getByRole('button', { name: 'Power on' });
  const powerOff = power.getByRole('button', { name: 'Power off' });

  const off = await lab.runAction('Power off', power);
  expect(off.ok, off.text).toBe(true);
  expect(off.text).toContain('powered off');
  const xBefore = (await powerOff.boundingBox())!.x;

  const on = await lab.runAction('Power on', power);
  expect(on.ok, on.text).toBe(true);
  // Only the newest outcome shows: "powered off" is gone now that the VM is on.
  await expect(power.locator('[data-result]')).toHaveCount(1);
  await expect(power.locator('[data-result]')).toContainText('powered on');
  await expect(power).not.toContainText('is powered off');
  // The success message sits on its own line: the next button did not move.
  expect((await powerOff.boundingBox())!.x).toBe(xBefore);

  // The state it describes changes elsewhere (a snapshot is taken): the power outcome clears.
  await lab.main.getByRole('button', { name: 'Take snapshot', exact: true }).click();
  await expect(lab.main.locator('[data-result="ok"]').filter({ hasText: 'Snapshot taken' })).toBeVisible();
  await expect(power.locator('[data-result]')).toHaveCount(0);
  await expect(powerOn).toHaveAttribute('aria-disabled', 'true');
});

test('actions show only where they apply: no "Add … to Cluster-01" for hosts already in it', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh('#/vcenter');
  const hosts = lab.main.getByRole('region', { name: 'Hosts' });
  await expect(hosts.getByRole('table', { name: 'Hosts' })).toBeVisible();
  await expect(hosts.getByRole('button', { name: /^Add .* to Cluster-01$/ })).toHaveCount(0);

  await lab.select('esx-03.lab.local', /esx-03/);
  // A host page offers Add only once the host is out of vCenter, and no TPM to clear on a host without one.
  await expect(lab.main.getByRole('button', { name: 'Add to vCenter' })).toHaveCount(0);
  await expect(lab.main.getByRole('button', { name: 'Clear TPM' })).toHaveCount(0);
  await expect(lab.main.getByRole('button', { name: 'Connect', exact: true })).toHaveCount(0);
  expect((await lab.runAction('Remove from inventory')).ok).toBe(true);
  await expect(lab.main.getByRole('button', { name: 'Add to vCenter' })).toBeVisible();

  await lab.goTo('#/vcenter');
  await expect(hosts.getByRole('button', { name: /^Add .* to Cluster-01$/ })).toHaveCount(1);
  const added = await lab.runAction('Add esx-03.lab.local to Cluster-01');
  expect(added.ok, added.text).toBe(true);
});

test('the key map shows a fingerprint or says there is no plain copy, never an empty "fp"', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/providers');
  // An NKP, backed up (Active), and db-01 moved to it while powered off.
  await lab.keyProviders.addNative('nkp-polish');
  await lab.keyProviders.backUp('nkp-polish', 'Correct-Horse-Battery-9');

  await lab.goTo('#/vm/db-01', 'db-01');
  await lab.runOk('Power off');
  const keyId = await lab.vm.shallowRekeyTo('nkp-polish');
  // esx-01 reboots: no host holds db-01's new KEK in memory any more, so nothing shown holds it in plain form.
  await lab.goTo('#/host/esx-01', /esx-01/);
  await lab.runOk('Reboot');

  await lab.goTo('#/keymap', 'Key map');
  const chips = lab.main.locator('[data-key-id][data-chip-role]');
  expect(await chips.count()).toBeGreaterThan(5);
  for (const text of await chips.allInnerTexts()) {
    expect(text.trim(), 'a chip ends in an empty "fp"').not.toMatch(/\bfp\s*$/);
  }
  const treeChip = lab.main.locator(`[data-chip-role="tree"][data-key-id="${keyId}"]`);
  await expect(treeChip).toContainText('no plain copy');
  await treeChip.focus();
  await expect(lab.main.getByText(/No fingerprint: no place shown holds this key in plain form/)).toBeVisible();
  await lab.shot('polish-keymap-no-plain-copy');
});

test('a fresh vCenter with no VM registered counts no VMs using a provider, and says how many more sit on the datastore', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/vcenter');
  await lab.destroyVcenterAndDeployNew();
  await lab.keyProviders.addStandard('KMS-Cluster', 'kms-a');
  await expect(fact(lab.keyProviders.card('KMS-Cluster'), 'VMs using it')).toHaveText('0 registered in this vCenter; 2 more on datastores (not registered) whose files name it');
});

test('"Move VMs to a key provider" skips VMs already on the target provider and says so', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/providers');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'Key Providers' })).toBeVisible();
  const section = lab.main.getByRole('region', { name: 'Move VMs to a key provider' });
  // Both encrypted VMs are on the default provider already: nothing to move.
  await section.getByRole('button', { name: 'Select all' }).click();
  const move = section.getByRole('button', { name: /^Shallow re-key/ });
  await expect(move).toHaveText('Shallow re-key 2 VMs');
  await expect(move).toHaveAttribute('aria-disabled', 'true');
  await expect(section).toContainText('Nothing to move: db-01, web-01 are already on KMS-Cluster.');

  // A second provider; db-01 moves there first, alone.
  await lab.keyProviders.addStandard('KMS-Cluster-2', 'kms-b');
  await section.getByLabel('Key provider for the new KEKs').selectOption({ label: 'KMS-Cluster-2 — standard' });
  await section.getByRole('button', { name: 'Select none' }).click();
  await section.getByRole('checkbox', { name: /^db-01/ }).check();
  await lab.runOk('Shallow re-key 1 VM', section);
  await expect(section.getByRole('checkbox', { name: /^db-01/ })).toHaveAccessibleName(/now KMS-Cluster-2/);
  const kekOf = async (vm: string) => {
    await lab.goTo(`#/vm/${vm}`, vm);
    return (await fact(lab.main, 'KEK key ID').innerText()).trim();
  };
  const dbKek = await kekOf('db-01');
  await lab.goTo('#/providers');
  await expect(section).toBeVisible();
  await section.getByLabel('Key provider for the new KEKs').selectOption({ label: 'KMS-Cluster-2 — standard' });

  // Select all: db-01 is skipped (said beside the button and in the outcome), web-01 moves.
  await section.getByRole('button', { name: 'Select all' }).click();
  await expect(section.getByTestId('rekey-skipped')).toContainText('db-01 is already on KMS-Cluster-2, so it is skipped');
  const done = await lab.runOk('Shallow re-key 2 VMs', section);
  expect(done.text).toContain('Skipped: db-01 is already on KMS-Cluster-2');
  await expect(section.getByRole('checkbox', { name: /^web-01/ })).toHaveAccessibleName(/now KMS-Cluster-2/);
  // db-01 was not re-keyed again: same KEK as before.
  expect(await kekOf('db-01')).toBe(dbKek);
});

test('Unregister asks first and says the files stay on the datastore', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/app-01');
  await lab.expectHeading('app-01');
  await lab.runOk('Power off');
  await lab.main.getByRole('button', { name: 'Unregister…' }).click();
  const dialog = lab.dialog('Unregister app-01?');
  await expect(dialog).toContainText('stay on ds-shared-01');
  await expectNoAxeViolations(page, 'the unregister dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(fact(lab.main, 'Registered in vCenter')).toHaveText('Yes');
  await lab.main.getByRole('button', { name: 'Unregister…' }).click();
  await dialog.getByRole('button', { name: 'Unregister', exact: true }).click();
  await expect(fact(lab.main, 'Registered in vCenter')).toHaveText('No');
});

test('the theme toggle says whether dark is on', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.setTheme('dark');
  await expect(lab.themeToggle).toHaveAttribute('aria-pressed', 'true');
  await expect(lab.themeToggle).toContainText('Dark theme On');
  await lab.setTheme('light');
  await expect(lab.themeToggle).toContainText('Dark theme Off');
});

test('raw vSphere terms keep their name and get a plain explanation beside them', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/host/esx-01');
  await lab.expectHeading(/esx-01/);
  await expect(fact(lab.main, 'Encryption mode (cryptoState)')).toContainText('safe');
  await expect(fact(lab.main, 'Encryption mode (cryptoState)')).toContainText('encryption mode on: it holds keys and runs encrypted VMs');

  // web-01 locked: both KMS nodes down, its host rebooted, power on refused.
  await takeDownBothKmsNodes(lab);
  await lab.goTo('#/host/esx-02', /esx-02/);
  await lab.runOk('Reboot');
  await lab.goTo('#/vm/web-01', 'web-01');
  await lab.runRefused('Power on');
  const note = lab.main.getByRole('note');
  await expect(note).toContainText('KeyStateClusterUnreachable');
  await expect(note).toContainText('vCenter could not reach any KMS node of the key provider');
  await expect(fact(lab.main, 'Locked')).toContainText('KeyStateClusterUnreachable (vCenter could not reach any KMS node');
  await lab.shot('polish-terms-locked');
  for (const theme of ['dark', 'light'] as const) {
    await lab.setTheme(theme);
    await expectNoAxeViolations(page, `a locked VM with its reason explained (${theme})`);
  }
});

test('Migrate moves a running encrypted VM (encrypted vMotion), and is refused where the destination cannot get its key', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/db-01');
  await lab.expectHeading('db-01');
  // The power panel no longer hides a host choice.
  await expect(lab.main.getByRole('group', { name: 'Power', exact: true }).getByRole('combobox')).toHaveCount(0);
  const migrate = lab.main.getByRole('region', { name: 'Migrate' });
  await migrate.getByLabel('Destination host').selectOption({ label: 'esx-02.lab.local' });
  const moved = await lab.runOk('Migrate', migrate);
  expect(moved.text).toContain('encrypted vMotion');
  await expect(fact(lab.main, 'Host')).toHaveText('esx-02.lab.local');
  await expect(fact(lab.main, 'Power')).toHaveText('on');
  await expect(lab.events.filter({ hasText: 'VmMigratedEvent' }).first()).toBeVisible();
  await lab.shot('polish-migrated');

  // Both KMS nodes down: esx-03 has never had db-01's key and cannot get it, so vSphere refuses; db-01 stays put.
  await takeDownBothKmsNodes(lab);
  await lab.goTo('#/vm/db-01', 'db-01');
  await migrate.getByLabel('Destination host').selectOption({ label: 'esx-03.lab.local' });
  const refused = await lab.runRefused('Migrate', 'KeyStateClusterUnreachable', migrate);
  expect(refused.text).toContain('keeps running on esx-02.lab.local');
  await expect(fact(lab.main, 'Host')).toHaveText('esx-02.lab.local');
  await expect(fact(lab.main, 'Locked')).toHaveText('No');
  await lab.shot('polish-migrate-refused');
});

test('Label in Name: tree items and key chips say what they show (axe label-content-name-mismatch)', async ({ page }) => {
  const lab = new LabPage(page);
  for (const hash of ['#/vcenter', '#/keymap', '#/vm/db-01', '#/host/esx-01', '#/providers', '#/kms/kms-a', '#/datastore/ds-shared-01']) {
    if (hash === '#/vcenter') await lab.openFresh(hash);
    else await lab.goTo(hash);
    await expect(lab.main.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForTimeout(600);
    const result = await new AxeBuilder({ page }).withRules(['label-content-name-mismatch']).analyze();
    const flagged = result.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
    expect(flagged, `Label in Name on ${hash}`).toEqual([]);
    // The rule really ran over the tree items and chips (they have aria-labels to compare).
    const checked = result.passes.flatMap((v) => v.nodes).length;
    expect(checked).toBeGreaterThan(hash === '#/keymap' ? 20 : 10);
    await lab.shot(`polish-label-in-name-${hash.replace(/[#/]+/g, '-').replace(/^-|-$/g, '')}`);
  }
});

test('the event console exports what it shows as CSV and JSON', async ({ page }) => {
  const lab = new LabPage(page);
  await lab.openFresh('#/vm/app-01');
  await lab.expectHeading('app-01');
  await lab.runOk('Power off');
  await lab.runOk('Power on');
  await page.getByLabel('Filter', { exact: true }).fill('app-01');
  await expect(page.getByTestId('event-count')).toHaveText(/^\d+ of \d+ events$/);
  const shown = Number((await page.getByTestId('event-count').innerText()).split(' ')[0]);
  expect(shown).toBeGreaterThanOrEqual(2);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^keylab-events-.*\.csv$/);
  const csv = await readFile((await csvDownload.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('Lab time,User,Event type,Severity,Object,Key ID,Operation,Message');
  expect(lines).toHaveLength(shown + 1);
  expect(lines.slice(1).every((l) => l.includes('app-01'))).toBe(true);
  expect(csv).toContain('VmPoweredOffEvent');

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const rows = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as { eventTypeId: string; object: string; user: string }[];
  expect(rows).toHaveLength(shown);
  expect(rows.map((r) => r.eventTypeId)).toContain('VmPoweredOnEvent');
  expect(rows.every((r) => r.user.length > 0)).toBe(true);
});
