// The key map shows where every key lives and follows the lab as it changes: a host reboot empties the host's RAM
// (the KEK stays in the KMS and, wrapped, nowhere else), and powering the VM on brings the KEK back into host RAM.
import { expect, test, type Locator } from '@playwright/test';
import { LabPage } from './pages/lab-page';

async function keyIds(box: Locator, level: 'KDK' | 'KEK' | 'DEK'): Promise<string[]> {
  const chips = box.locator(`[data-key-id][aria-label^="${level} "]`);
  return Promise.all((await chips.all()).map(async (c) => (await c.getAttribute('data-key-id')) ?? ''));
}

test('the key map shows where keys live and updates after a host reboot', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new LabPage(page);
  await lab.openFresh('#/keymap');
  await expect(lab.main.getByRole('heading', { level: 1, name: 'Key map' })).toBeVisible();

  const lane = (kind: string) => lab.main.locator(`[data-lane="${kind}"]`);
  const esx01Ram = lane('host-ram').locator('[data-object-id="esx-01"]');
  const kmsA = lane('kms').locator('[data-object-id="kms-a"]');
  const db01Files = lane('vm-files').locator('[data-object-id="db-01"]');

  // db-01 runs encrypted on esx-01: its KEK is in esx-01's RAM and in the KMS; its DEK, wrapped, in its files.
  const ramKeks = await keyIds(esx01Ram, 'KEK');
  expect(ramKeks.length).toBeGreaterThan(0);
  for (const id of ramKeks) await expect(kmsA.locator(`[data-key-id="${id}"]`)).toBeVisible();
  await expect(db01Files.locator('[data-key-id][aria-label^="DEK "]')).toHaveCount(1);
  await expect(db01Files.locator('[data-key-id][aria-label^="DEK "]')).toHaveAttribute('data-form', 'wrapped');
  await lab.shot('keymap-before-reboot');

  // The table says the same in words.
  await lab.main.getByRole('button', { name: 'Table', exact: true }).click();
  const table = lab.main.getByRole('table');
  await expect(table.getByRole('row', { name: new RegExp(`^KEK .*${ramKeks[0]!}`) })).toContainText(/esx-01/);
  await lab.main.getByRole('button', { name: 'Picture', exact: true }).click();

  // Reboot esx-01 from its page, then come back to the map.
  await lab.select('esx-01.lab.local', /esx-01/);
  const reboot = await lab.runAction(/^Reboot/);
  expect(reboot.ok, reboot.text).toBe(true);
  await lab.select('Key map', 'Key map');
  for (const id of ramKeks) {
    await expect(esx01Ram.locator(`[data-key-id="${id}"]`)).toHaveCount(0);
    await expect(kmsA.locator(`[data-key-id="${id}"]`)).toBeVisible();
  }
  await lab.shot('keymap-after-reboot');

  // Powering db-01 on again: vCenter fetches the KEK from the KMS by its ID and pushes it to the host.
  await lab.select('db-01', /db-01/);
  const powerOn = await lab.runAction(/^Power on/);
  expect(powerOn.ok, powerOn.text).toBe(true);
  await lab.select('Key map', 'Key map');
  const keksAfter = await keyIds(lane('host-ram'), 'KEK');
  expect(keksAfter.filter((id) => ramKeks.includes(id)).length).toBeGreaterThan(0);
  await lab.shot('keymap-after-power-on');
});
