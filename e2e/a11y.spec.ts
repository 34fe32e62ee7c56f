// Accessibility: axe (WCAG 2.0/2.1 A and AA rules) on every page of the lab, in the light and the dark theme, plus
// the screens around it (home, "open in another tab", the reset dialog). Any violation fails, listed by rule and node.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/lab-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const PAGES: { hash: string; heading: RegExp }[] = [
  { hash: '#/vcenter', heading: /vcsa-01/ },
  { hash: '#/providers', heading: /Key Providers/ },
  { hash: '#/providers/__first__', heading: /KMS-Cluster|Key Providers/ },
  { hash: '#/host/esx-01', heading: /esx-01/ },
  { hash: '#/host/esx-03', heading: /esx-03/ },
  { hash: '#/vm/db-01', heading: /db-01/ },
  { hash: '#/vm/app-01', heading: /app-01/ },
  { hash: '#/kms/kms-a', heading: /kms-a/ },
  { hash: '#/datastore/ds-shared-01', heading: /ds-shared-01/ },
  { hash: '#/keymap', heading: /Key map/ },
];

async function expectNoViolations(page: Page, where: string) {
  // Let transitions (key chips fading in, progress bars) settle so colours are measured at rest.
  await page.waitForTimeout(600);
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary}`).join('\n')}`,
  );
  expect(report, `axe violations on ${where}`).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test(`every lab page passes axe in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.setTheme(theme);
    for (const { hash, heading } of PAGES) {
      if (hash === '#/providers/__first__') {
        await lab.select('KMS-Cluster', heading);
      } else {
        await lab.goTo(hash);
        await expect(lab.main.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      }
      await expectNoViolations(page, `${hash} (${theme})`);
      await lab.shot(`a11y-${theme}-${hash.replace(/[#/]+/g, '-').replace(/^-|-$/g, '')}`);
    }

    // Inside a VM: the guest console, the disk sectors (ciphertext beside plaintext) and its files.
    await lab.goTo('#/vm/db-01');
    await expect(lab.main.getByRole('heading', { level: 1, name: /db-01/ })).toBeVisible();
    for (const tab of ['Guest console', 'Disk sectors', 'Files']) {
      await lab.main.getByRole('tab', { name: tab }).click();
      await expect(lab.main.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
      await expectNoViolations(page, `db-01, ${tab} tab (${theme})`);
      await lab.shot(`a11y-${theme}-vm-db-01-${tab.toLowerCase().replace(/ /g, '-')}`);
    }

    // The reset dialog (a modal over the workspace).
    await page.getByRole('button', { name: 'Reset lab…' }).click();
    await expect(lab.dialog('Reset the lab?')).toBeVisible();
    await expectNoViolations(page, `the reset dialog (${theme})`);
    await page.keyboard.press('Escape');

    // Without vCenter: the tree's notice and the vCenter page.
    await lab.goTo('#/vcenter');
    await page.getByRole('button', { name: 'Destroy vCenter…' }).click();
    await lab.dialog(/Destroy vCenter/).getByRole('button', { name: /^Destroy/ }).click();
    await expect(lab.treeItem('vCenter Server (destroyed)')).toBeVisible();
    await expectNoViolations(page, `the workspace without vCenter (${theme})`);
    await lab.shot(`a11y-${theme}-no-vcenter`);
  });

  test(`the screens around the lab pass axe in the ${theme} theme`, async ({ page, context }) => {
    const lab = new LabPage(page);
    await lab.openFresh();
    await lab.setTheme(theme);
    const page2 = await context.newPage();
    await page2.goto('/lab');
    await expect(page2.getByRole('heading', { name: 'This lab is open in another tab' })).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page2, `"open in another tab" (${theme})`);
    await page2.goto('/');
    await expect(page2.getByRole('heading', { level: 1, name: 'keylab' })).toBeVisible();
    await expectNoViolations(page2, `the home page (${theme})`);

    // The error screen: a saved lab this version cannot open.
    await page.goto('/');
    await lab.spoilSavedLab();
    await page.goto('/lab');
    await expect(page.getByRole('heading', { name: 'The lab could not be opened' })).toBeVisible({ timeout: 30_000 });
    await expectNoViolations(page, `the error screen (${theme})`);
  });
}
