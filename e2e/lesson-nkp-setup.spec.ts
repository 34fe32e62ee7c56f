// Lesson 1 as a learner takes it: add the Native Key Provider (TPM-only), predict which hosts get the KDK, back it up
// with a password (the real .p12, opened with openssl), make it the default, meet the host without a TPM, encrypt
// web-01; every step ticks from the lab's state, and the lesson ends on its summary with the proof.
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { TPM_ONLY } from './pages/key-providers';
import { LessonPage } from './pages/lesson-page';

const PASSWORD = 'Velvet-Compass-Thunder-Apricot-9';

test('lesson 1: set up the Native Key Provider, end to end', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');
  await lab.expectStep('add-nkp', 'current');
  await expect(lab.panel.getByTestId('lesson-position')).toHaveText('Step 1 of 5');
  // The lesson opens where it begins (Key Providers), not on the vCenter page's disaster buttons.
  await expect(lab.main.getByRole('heading', { level: 1, name: 'Key Providers' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Destroy vCenter…' })).toHaveCount(0);
  await lab.shotInBothThemes(lab.panel, 'lesson-start', 'start');

  // 1. Add Native Key Provider, TPM-only left ticked.
  await lab.keyProviders.addNative('NKP-1', (add) => expect(add.getByLabel(TPM_ONLY)).toBeChecked());
  await lab.expectStep('add-nkp', 'done');
  await lab.expectStep('back-up', 'current');

  // 2. Predict, then back up with a password; the .p12 downloads and openssl shows the KDK.
  await lab.predict({
    'esx-01.lab.local': 'Keeps the KDK; the TPM seals its configuration',
    'esx-02.lab.local': 'Keeps the KDK; the TPM seals its configuration',
    'esx-03.lab.local': 'Keeps the KDK; its configuration key lies on the boot disk',
  }, 'lesson-prediction-light');
  await lab.setTheme('dark');
  await lab.shot('lesson-prediction-dark');
  await lab.expectPanelAccessible('prediction recorded, dark');
  await lab.setTheme('light');
  const file = await lab.keyProviders.backUp('NKP-1', PASSWORD);
  await lab.expectStep('back-up', 'done');
  // The prediction beside what happened: two right, esx-03 wrong (it never gets the KDK), each with its reason.
  const result = lab.step('back-up').getByTestId('prediction-result');
  await expect(result).toContainText('2 of 3 right');
  await expect(result).toContainText('No TPM 2.0, and the provider is for TPM-protected hosts only');

  // 3. The openssl command is shown; run on the downloaded file it prints the secret bag.
  await expect(lab.step('set-default').getByTestId('terminal')).toContainText('openssl pkcs12 -info -nodes -in');
  const openssl = spawnSync('openssl', ['pkcs12', '-info', '-nodes', '-in', file, '-passin', `pass:${PASSWORD}`], { encoding: 'utf8' });
  expect(openssl.status).toBe(0);
  expect(openssl.stdout + openssl.stderr).toMatch(/Secret bag/i);
  await lab.keyProviders.card('NKP-1').getByRole('button', { name: 'Set as default' }).click();
  await lab.expectStep('set-default', 'done');

  // 4. The host without a TPM: encrypting app-01 is refused with "TPM2 Device is Required".
  await lab.goTo('#/vm/app-01');
  await lab.runRefused('Encrypt', 'TPM2 Device is Required');
  await lab.expectStep('meet-no-tpm', 'done');

  // 5. Encrypt web-01 with the default (NKP-1).
  await lab.goTo('#/vm/web-01');
  await lab.runOk('Encrypt');
  await lab.expectStep('encrypt-vm', 'done');

  // The summary: score, what was learned, the proof read back through the key chain.
  await expect(lab.summary).toBeVisible();
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('5 of 5');
  await expect(lab.summary.getByTestId('lesson-score')).toContainText('2 of 3');
  await lab.expectProofOk();
  await expect(lab.summary.getByTestId('proof')).toContainText('web-01/index.html');
  await lab.step('encrypt-vm').scrollIntoViewIfNeeded();
  await lab.shotInBothThemes(lab.summary, 'lesson-summary', 'summary');

  // Progress is saved with the lesson's lab: a reload comes back to the finished lesson.
  await page.reload();
  await lab.waitReady();
  await expect(lab.summary).toBeVisible({ timeout: 30_000 });
  await lab.expectStep('encrypt-vm', 'done');
});

test('lesson 1 with “TPM protected ESXi hosts only” unticked: accepted, and app-01 encrypts on the host without a TPM', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('nkp-setup');
  await lab.keyProviders.addNative('NKP-1', (add) => add.getByLabel(TPM_ONLY).uncheck());
  await lab.expectStep('add-nkp', 'done');
  await lab.predict({
    'esx-01.lab.local': 'Keeps the KDK; the TPM seals its configuration',
    'esx-02.lab.local': 'Keeps the KDK; the TPM seals its configuration',
    'esx-03.lab.local': 'Keeps the KDK; its configuration key lies on the boot disk',
  });
  await lab.keyProviders.backUp('NKP-1', PASSWORD);
  await lab.expectStep('back-up', 'done');
  await expect(lab.step('back-up').getByTestId('prediction-result')).toContainText('3 of 3 right');
  await lab.keyProviders.card('NKP-1').getByRole('button', { name: 'Set as default' }).click();
  await lab.expectStep('set-default', 'done');
  // The other side of the trade-off: esx-03 holds the KDK, so app-01 encrypts there.
  await lab.goTo('#/vm/app-01');
  await lab.runOk('Encrypt');
  await lab.expectStep('meet-no-tpm', 'done');
});
