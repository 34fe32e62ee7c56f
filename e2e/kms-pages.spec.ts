// The KMS-related pages in the states issue 20 added, looked at as a learner sees them (1280 px and 390 px, light and
// dark; screenshots in /tmp/shots) and checked with axe: a KMS node waiting for a sender that is down, keys revoked
// (Reactivate offered) and destroyed, a node lost for good, the VM lock banner telling these apart, and the vCenter
// page's vSphere version.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { AXE_TAGS, fact, LabPage } from './pages/lab-page';

const WIDTHS = [1280, 390] as const;

async function looks(lab: LabPage, hash: string, name: string) {
  for (const width of WIDTHS) {
    await lab.page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await lab.goTo(hash);
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      await lab.page.waitForTimeout(200);
      await lab.shot(`kms-${name}-${width}-${theme}`);
      const axe = await new AxeBuilder({ page: lab.page }).include('main').withTags(AXE_TAGS).analyze();
      expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${name} ${width} ${theme}`).toEqual([]);
    }
    await lab.setTheme('light');
  }
  await lab.page.setViewportSize({ width: 1280, height: 900 });
}

test('KMS pages: waiting for a sender, revoked and destroyed keys, a lost node, the lock banner, the vSphere version', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = new LabPage(page);
  await lab.openFresh();
  await page.setViewportSize({ width: 1280, height: 900 });
  const keyOf = async (vm: string) => {
    await lab.goTo(`#/vm/${vm}`);
    return (await fact(lab.main, 'KEK key ID').innerText()).trim();
  };
  const webKey = await keyOf('web-01');
  const dbKey = await keyOf('db-01');

  // app-01's new key is made on kms-a, which goes down before the copy leaves: kms-b waits for it.
  await lab.goTo('#/vm/app-01');
  expect((await lab.runAction('Power off')).ok).toBe(true);
  expect((await lab.runAction('Encrypt')).ok).toBe(true);
  await lab.goTo('#/kms/kms-a');
  expect((await lab.runAction('Take down')).ok).toBe(true);
  await lab.goTo('#/host/esx-03');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/app-01');
  expect((await lab.runAction('Power on')).ok).toBe(false);
  await expect(lab.main.getByTestId('lock-advice')).toHaveAttribute('data-fate', 'awaitingSender');
  await looks(lab, '#/kms/kms-b', 'node-waiting-for-sender');
  await looks(lab, '#/vm/app-01', 'vm-locked-awaiting-sender');

  // web-01's key revoked, db-01's destroyed (both VMs keep running: their hosts hold the KEKs).
  await lab.goTo('#/kms/kms-b');
  const keys = lab.main.getByRole('table', { name: /Keys on kms-b/ });
  expect((await lab.runAction(`Revoke key ${webKey}`, keys.getByRole('row').filter({ hasText: webKey }))).ok).toBe(true);
  await keys.getByRole('row').filter({ hasText: dbKey }).getByRole('button', { name: `Destroy key ${dbKey}…` }).click();
  await lab.dialog(/^Destroy key/).getByRole('button', { name: 'Destroy key' }).click();
  await expect(keys.getByRole('row').filter({ hasText: dbKey })).toContainText('Destroyed');
  await looks(lab, '#/kms/kms-b', 'keys-revoked-destroyed');

  // db-01's host reboots: its VM locks for a key that is gone.
  await lab.goTo('#/host/esx-01');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  await lab.goTo('#/vm/db-01');
  expect((await lab.runAction('Power on')).ok).toBe(false);
  await expect(lab.main.getByTestId('lock-advice')).toHaveAttribute('data-fate', 'destroyed');
  await expect(lab.main.getByText('Key gone')).toBeVisible();
  await looks(lab, '#/vm/db-01', 'vm-locked-destroyed');

  // kms-a lost for good: app-01's key goes with it.
  await lab.goTo('#/kms/kms-a');
  await lab.main.getByRole('button', { name: 'Lose for good…' }).click();
  await lab.dialog('Lose kms-a for good?').getByRole('button', { name: 'Lose for good', exact: true }).click();
  await expect(lab.main.getByText('Lost for good').first()).toBeVisible();
  await looks(lab, '#/kms/kms-a', 'node-lost');
  await lab.goTo('#/vm/app-01');
  await expect(lab.main.getByTestId('lock-advice')).toHaveAttribute('data-fate', 'lostWithNode');

  // The vCenter page: the version and how it picks nodes; switch to 6.7 and back.
  await lab.goTo('#/vcenter');
  await expect(lab.main.getByText('vSphere 8.0').first()).toBeVisible();
  await lab.main.getByLabel('Release to run').selectOption('6.7');
  expect((await lab.runAction('Change version')).ok).toBe(true);
  await expect(lab.main.getByText(/in the listed order, always from the top/).first()).toBeVisible();
  await looks(lab, '#/vcenter', 'vcenter-version-67');
});
