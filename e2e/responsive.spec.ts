// The workspace on a phone (390 × 844) and a tablet (768 × 1024): every lab page fits its width (no sideways scroll
// of the object page or the window, no heading cut off), every action on it can be scrolled to and is on screen, the
// inventory is a drawer and the events a sheet, and axe stays clean (Label in Name included). Screenshots of the main
// pages at 1440 × 900, 768 × 1024 and 390 × 844 in both themes go to /tmp/shots.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LabPage } from './pages/lab-page';
import { LessonPage } from './pages/lesson-page';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const PAGES: { hash: string; heading: RegExp }[] = [
  { hash: '#/vcenter', heading: /vcsa-01\.lab\.local/ },
  { hash: '#/providers', heading: /Key Providers/ },
  { hash: '#/host/esx-01', heading: /esx-01/ },
  { hash: '#/vm/db-01', heading: /db-01/ },
  { hash: '#/kms/kms-a', heading: /kms-a/ },
  { hash: '#/datastore/ds-shared-01', heading: /ds-shared-01/ },
  { hash: '#/keymap', heading: /Key map/ },
];

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
] as const;

async function axeClean(page: Page, where: string) {
  await page.waitForTimeout(600);
  // label-content-name-mismatch is one of axe's experimental rules: asked for by name (WCAG 2.5.3 Label in Name).
  const tagged = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const labelInName = await new AxeBuilder({ page }).withRules(['label-content-name-mismatch']).analyze();
  const report = [...tagged.violations, ...labelInName.violations].map(
    (v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`,
  );
  expect(report, `axe violations on ${where}`).toEqual([]);
}

/** Nothing scrolls sideways, the page title is not cut, and every button of the page can be brought on screen. */
async function expectFits(lab: LabPage, where: string) {
  const page = lab.page;
  const widths = await page.evaluate(() => {
    const main = document.querySelector('main#lab-main') as HTMLElement;
    const h1 = main.querySelector('h1') as HTMLElement;
    return {
      mainScroll: main.scrollWidth,
      mainClient: main.clientWidth,
      docScroll: document.documentElement.scrollWidth,
      window: window.innerWidth,
      h1Scroll: h1.scrollWidth,
      h1Client: h1.clientWidth,
    };
  });
  // The page has the width (less a docked panel's folded strip), not squeezed beside a tree or a panel.
  expect(widths.mainClient, `${where}: the object page is squeezed`).toBeGreaterThanOrEqual(widths.window - 64);
  expect(widths.mainScroll, `${where}: the object page scrolls sideways`).toBeLessThanOrEqual(widths.mainClient + 1);
  expect(widths.docScroll, `${where}: the window scrolls sideways`).toBeLessThanOrEqual(widths.window + 1);
  expect(widths.h1Scroll, `${where}: the page title is cut`).toBeLessThanOrEqual(widths.h1Client + 1);
  const buttons = await lab.main.getByRole('button').all();
  for (const button of buttons) {
    if (!(await button.isVisible())) continue;
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    const name = (await button.innerText()).trim().slice(0, 40);
    expect(box, `${where}: button "${name}" has no box`).not.toBeNull();
    expect(box!.x, `${where}: button "${name}" starts off screen`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${where}: button "${name}" ends off screen`).toBeLessThanOrEqual(widths.window + 1);
  }
}

for (const size of SIZES) {
  test.describe(`on a ${size.name} (${size.width} × ${size.height})`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('every lab page fits, its actions are reachable, and axe is clean in both themes', async ({ page }) => {
      test.setTimeout(180_000);
      const lab = new LabPage(page);
      await lab.openFresh('#/vcenter');
      // The tree does not take the width: it waits behind the Inventory button.
      await expect(lab.tree).toBeHidden();
      await expect(lab.inventoryButton).toBeVisible();
      for (const theme of ['light', 'dark'] as const) {
        await lab.setTheme(theme);
        for (const { hash, heading } of PAGES) {
          await lab.goTo(hash);
          await expect(lab.main.getByRole('heading', { level: 1, name: heading })).toBeVisible();
          if (theme === 'light') await expectFits(lab, `${hash} (${size.name})`);
          await axeClean(page, `${hash} (${size.name}, ${theme})`);
        }
      }
    });

    test('the inventory is a drawer: it opens over the page, takes focus, opens a page and closes', async ({ page }) => {
      const lab = new LabPage(page);
      await lab.openFresh('#/vcenter');
      await lab.inventoryButton.click();
      await expect(lab.inventoryButton).toHaveAttribute('aria-expanded', 'true');
      await expect(lab.tree).toBeVisible();
      // Focus is in the tree, on the current page's item; the page behind cannot be reached meanwhile.
      await expect(lab.treeItem('vcsa-01.lab.local')).toBeFocused();
      await expect(lab.main).toHaveAttribute('inert', '');
      await axeClean(page, `the open drawer (${size.name})`);
      await lab.shot(`responsive-${size.name}-drawer`);
      // Escape closes it and gives focus back to the button.
      await page.keyboard.press('Escape');
      await expect(lab.tree).toBeHidden();
      await expect(lab.inventoryButton).toBeFocused();
      // Choosing an item opens its page and closes the drawer.
      await lab.select('db-01', /db-01/);
      await expect(lab.tree).toBeHidden();
      await expect(page).toHaveURL(/#\/vm\/db-01$/);
      await expect(lab.main).toBeFocused();
    });

    test('the events are a folded bar that opens as a sheet of cards', async ({ page }) => {
      const lab = new LabPage(page);
      await lab.openFresh('#/vm/db-01');
      await expect(lab.main.getByRole('heading', { level: 1, name: /db-01/ })).toBeVisible();
      const toggle = page.getByRole('button', { name: 'Events', exact: true });
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      // Folded, the console is one short bar: the page keeps nearly all the height.
      const bar = await page.locator('section[aria-labelledby$="-title"]').filter({ has: toggle }).boundingBox();
      expect(bar!.height).toBeLessThan(48);
      const mainBox = await lab.main.boundingBox();
      expect(mainBox!.height).toBeGreaterThan(size.height * 0.6);

      await toggle.click();
      const list = page.getByRole('region', { name: 'Event list' });
      await expect(list).toBeVisible();
      await expect(list.getByRole('list', { name: 'Events, newest first' })).toBeVisible();
      await expect(lab.events.first()).toBeVisible();
      const fits = await list.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
      expect(fits, 'the event cards scroll sideways').toBe(true);
      await axeClean(page, `the event sheet (${size.name})`);
      await lab.shot(`responsive-${size.name}-events`);
      await toggle.click();
      await expect(list).toBeHidden();
      // Escape closes the sheet too, focus back on its toggle.
      await toggle.click();
      await expect(list).toBeVisible();
      await list.focus();
      await page.keyboard.press('Escape');
      await expect(list).toBeHidden();
      await expect(toggle).toBeFocused();
    });
  });
}

test('screenshots: the main pages at 1440 × 900, 768 × 1024 and 390 × 844, light and dark', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LabPage(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await lab.openFresh('#/vm/db-01');
  for (const size of [{ width: 1440, height: 900 }, ...SIZES]) {
    // Each size opened afresh (a real page load, the saved lab kept), as a visit on that screen starts.
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/');
    await lab.open('#/vm/db-01');
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      for (const hash of ['#/vm/db-01', '#/vcenter', '#/keymap', '#/providers']) {
        await lab.goTo(hash);
        await expect(lab.main.getByRole('heading', { level: 1 })).toBeVisible();
        await page.waitForTimeout(300);
        await lab.shot(`responsive-${size.width}x${size.height}-${theme}-${hash.replace(/[#/]+/g, '-').replace(/^-|-$/g, '')}`);
      }
    }
  }
});

test.describe('the header on a phone (390 × 844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('is one row at most 64 px tall, and the user switch, theme and Reset lab work from its More menu by keyboard and touch', async ({ page }) => {
    test.setTimeout(120_000);
    const lab = new LabPage(page);
    await lab.openFresh('#/vm/db-01');
    await lab.expectHeading(/db-01/);
    const header = page.getByRole('banner');
    const resetOpener = page.getByRole('button', { name: 'Reset lab…' });
    const headerBox = (await header.boundingBox())!;
    expect(headerBox.height, 'the header is taller than one row').toBeLessThanOrEqual(64);
    // One row: Inventory, the product name and the clock stay on screen, inside the header, within the width.
    const row = [lab.inventoryButton, header.getByRole('link', { name: 'keylab' }), header.getByRole('timer', { name: 'Lab time' }), lab.fastForward, lab.moreButton];
    for (const item of row) {
      await expect(item).toBeVisible();
      const box = (await item.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(headerBox.y);
      expect(box.y + box.height).toBeLessThanOrEqual(headerBox.y + headerBox.height);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expect(lab.fastForward).toHaveAccessibleName('Fast-forward 1 min');
    // The secondary controls are behind More, not squeezed into the row.
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'false');
    await expect(lab.userSelect).toHaveCount(0);
    await expect(lab.themeToggle).toHaveCount(0);
    await expect(resetOpener).toHaveCount(0);
    await lab.shot('responsive-phone-header-light');

    // Keyboard: Tab from the top of the page reaches More; Enter opens it with focus on its first control.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 8 && !(await lab.moreButton.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(lab.moreButton).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'true');
    await expect(lab.userSelect).toBeFocused();
    await expect(header.getByTestId('lab-title')).toHaveText('Encryption starter lab');
    await expect(header.getByTestId('user-role')).toHaveText('Administrator: all privileges');
    // The arrow key signs in the next user, the No cryptography administrator, and the menu says so.
    await page.keyboard.press('ArrowDown');
    await expect(lab.userSelect).toHaveValue('vm-operator@vsphere.local');
    await expect(header.getByTestId('user-role')).toContainText('no Cryptographer.* privileges');
    // Tab to the theme; Enter turns dark on (and off again), the menu staying open, axe clean either way.
    await page.keyboard.press('Tab');
    await expect(lab.themeToggle).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await expect(lab.themeToggle).toHaveAttribute('aria-pressed', 'true');
    await axeClean(page, 'the open More menu (phone, dark)');
    await lab.shot('responsive-phone-header-menu-dark');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
    await axeClean(page, 'the open More menu (phone, light)');
    await lab.shot('responsive-phone-header-menu-light');
    // Tab to Reset lab…: Enter asks first; Escape closes only the question, focus back on Reset lab… in the menu.
    await page.keyboard.press('Tab');
    await expect(resetOpener).toBeFocused();
    await page.keyboard.press('Enter');
    const ask = lab.dialog('Reset the lab?');
    await expect(ask).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(ask).toBeHidden();
    await expect(resetOpener).toBeFocused();
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'true');
    // Escape closes the menu and gives focus back to More.
    await page.keyboard.press('Escape');
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'false');
    await expect(lab.moreButton).toBeFocused();
    await expect(lab.themeToggle).toHaveCount(0);

    // Touch: More opens it, the theme toggles, a tap on the page closes it.
    await lab.moreButton.tap();
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'true');
    await lab.themeToggle.tap();
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await lab.main.getByRole('heading', { level: 1 }).tap();
    await expect(lab.moreButton).toHaveAttribute('aria-expanded', 'false');
    await lab.shot('responsive-phone-header-dark');
    expect((await header.boundingBox())!.height, 'the header is taller than one row (dark)').toBeLessThanOrEqual(64);
    // Reset lab… from the menu, confirmed: a fresh lab signs in the Administrator again, and the theme is kept.
    await lab.moreButton.tap();
    await resetOpener.tap();
    await ask.getByRole('button', { name: 'Reset lab', exact: true }).tap();
    await lab.waitReady();
    await lab.moreButton.tap();
    await expect(lab.userSelect).toHaveValue('administrator@vsphere.local');
    await expect(header.getByTestId('user-role')).toHaveText('Administrator: all privileges');
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  });

  test('a KMS wait takes a line under the row while it lasts, and the row\'s fast-forward ends it', async ({ page }) => {
    test.setTimeout(90_000);
    const lab = new LabPage(page);
    await lab.openFresh();
    // As in the workspace spec: kms-a hangs, esx-01 reboots, so powering db-01 on makes vCenter wait for kms-a.
    await lab.select('kms-a', /kms-a/);
    await lab.runOk('Make hung');
    await lab.select('esx-01.lab.local', /esx-01/);
    await lab.runOk('Reboot');
    await lab.select('db-01', /db-01/);
    const powerOn = lab.main.getByRole('button', { name: 'Power on' });
    await powerOn.click();
    const header = page.getByRole('banner');
    const wait = header.getByTestId('pending-wait');
    await expect(wait).toContainText('kms-a');
    // The wait reads in full width under the row, its seconds on screen; the row itself stays as it was.
    const waitBox = (await wait.boundingBox())!;
    const moreBox = (await lab.moreButton.boundingBox())!;
    expect(waitBox.y).toBeGreaterThanOrEqual(moreBox.y + moreBox.height);
    expect(waitBox.x + waitBox.width).toBeLessThanOrEqual(390);
    await expect(wait.getByRole('timer')).toBeInViewport({ ratio: 1 });
    await axeClean(page, 'the phone header with a KMS wait');
    await lab.shot('responsive-phone-header-wait');
    await header.getByRole('button', { name: /^Fast-forward \d+ s$/ }).click();
    await expect(wait).toHaveCount(0);
    const outcome = await lab.resultBeside(powerOn);
    expect(outcome.ok, outcome.text).toBe(true);
    expect((await header.boundingBox())!.height, 'the header keeps its extra line after the wait').toBeLessThanOrEqual(64);
  });
});

test.describe('a lesson on a phone (390 × 844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the lesson is a sheet the whole width, folds to a strip that shows the step and a dot for news, and nothing scrolls sideways', async ({ page }) => {
    test.setTimeout(150_000);
    const lab = new LessonPage(page);
    await page.goto('/');
    await lab.clearStorage();
    await page.goto('/lab?lesson=nkp-setup');
    await lab.waitReady();
    // It opens as a sheet over the page, the whole width, saying where the learner is.
    const sheet = page.getByTestId('side-dock');
    await expect(sheet).toHaveAttribute('data-layout', 'sheet', { timeout: 30_000 });
    await expect(lab.panel).toBeVisible();
    await expect(sheet.getByTestId('dock-step')).toHaveText('Step 1 of 5');
    const box = (await sheet.boundingBox())!;
    expect(box.x).toBeLessThanOrEqual(0);
    expect(box.width).toBeGreaterThanOrEqual(389);
    const sideways = () => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth, sheet: (document.querySelector('[data-testid="side-dock"]')?.scrollWidth ?? 0) }));
    let w = await sideways();
    expect(w.doc, 'the window scrolls sideways with the sheet open').toBeLessThanOrEqual(w.win);
    expect(w.sheet, 'the sheet is wider than the window').toBeLessThanOrEqual(w.win);
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      await lab.shot(`lux-phone-lesson-sheet-${theme}`);
      await axeClean(page, `the lesson sheet (${theme})`);
    }
    await lab.setTheme('light');

    // Hidden, it is a strip with the step on it; focus goes to the strip.
    await sheet.getByRole('button', { name: 'Hide lesson' }).click();
    await expect(lab.panel).toBeHidden();
    const strip = page.getByTestId('dock-strip');
    const show = strip.getByRole('button', { name: /Show lesson/ });
    await expect(show).toBeFocused();
    await expect(strip.getByTestId('dock-step')).toHaveText('1/5');
    await expect(strip.getByTestId('dock-news')).toHaveCount(0);
    w = await sideways();
    expect(w.doc, 'the window scrolls sideways with the strip').toBeLessThanOrEqual(w.win);
    const mainWidth = await lab.main.evaluate((el) => el.getBoundingClientRect().width);
    expect(mainWidth).toBeGreaterThanOrEqual(390 - 64);

    // The step done while the panel is hidden: the strip moves on and shows a dot (the next step asks a prediction).
    await lab.keyProviders.addNative('NKP-1');
    await expect(strip.getByTestId('dock-step')).toHaveText(/^2\/5/, { timeout: 20_000 });
    await expect(strip.getByTestId('dock-news')).toBeVisible();
    await expect(show).toHaveAccessibleName(/Show lesson\s*,\s*Step 2 of 5,\s*new: step 2/);
    for (const theme of ['light', 'dark'] as const) {
      await lab.setTheme(theme);
      await lab.shot(`lux-phone-lesson-strip-news-${theme}`);
      await axeClean(page, `the lesson strip with news (${theme})`);
    }
    await lab.setTheme('light');

    // Shown again: the news is seen, the first step ticked, the dot gone once it folds again; Escape folds it.
    await show.click();
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole('button', { name: 'Hide lesson' })).toBeFocused();
    await lab.expectStep('add-nkp', 'done');
    await page.keyboard.press('Escape');
    await expect(lab.panel).toBeHidden();
    await expect(strip.getByTestId('dock-news')).toHaveCount(0);
  });
});
