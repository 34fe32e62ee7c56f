// Lesson 7 as a learner takes it: a KMS node down (no wait), hung (a 60 s wait, fast-forwarded), replication lag (a
// VM locked until its key reaches kms-b), the healthy node moved to the top (no wait again), everything started; the
// lesson ends on its summary with the guest files read back.
import { expect, type Page, test } from '@playwright/test';
import { LessonPage } from './pages/lesson-page';

async function kms(lab: LessonPage, id: string, action: 'Take down' | 'Make hung' | 'Restore') {
  await lab.goTo(`#/kms/${id}`);
  expect((await lab.runAction(action)).ok).toBe(true);
}

async function vm(lab: LessonPage, id: string, action: string) {
  await lab.goTo(`#/vm/${id}`);
  return lab.runAction(action);
}

test('lesson 7: KMS availability, end to end', async ({ page }: { page: Page }) => {
  test.setTimeout(240_000);
  const lab = new LessonPage(page);
  await lab.openLessonFresh('kms-availability');

  // 1. kms-a down: the key comes from kms-b at once.
  await lab.predict({ 'web-01': 'From kms-b, at once' });
  await kms(lab, 'kms-a', 'Take down');
  expect((await vm(lab, 'web-01', 'Encrypt')).ok).toBe(true);
  await lab.expectStep('node-down', 'done');

  // 2. kms-a hung: vCenter waits 60 s (fast-forwarded), then asks kms-b.
  await lab.predict({ 'web-02': 'From kms-b, after a 60-second wait on kms-a' });
  await kms(lab, 'kms-a', 'Restore');
  await kms(lab, 'kms-a', 'Make hung');
  await lab.goTo('#/vm/web-02');
  const encrypt = lab.main.getByRole('button', { name: 'Encrypt', exact: true });
  await encrypt.click();
  await expect(page.getByTestId('pending-wait')).toContainText('kms-a');
  await lab.fastForward.click();
  expect((await lab.resultBeside(encrypt)).ok).toBe(true);
  await lab.expectStep('node-hung', 'done');

  // 3. Replication lag: web-03's key is on kms-a only when kms-a fails.
  await lab.predict({ 'web-03': 'No, locked until the key reaches kms-b (or kms-a is back)' });
  await kms(lab, 'kms-a', 'Restore');
  expect((await vm(lab, 'web-03', 'Encrypt')).ok).toBe(true);
  await kms(lab, 'kms-a', 'Take down');
  await lab.goTo('#/host/esx-01');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  const locked = await vm(lab, 'web-03', 'Power on');
  expect(locked.ok).toBe(false);
  expect(locked.text).toContain('KeyStateMissingInKMS');
  await lab.expectStep('replication-lag', 'done');

  // 4. Wait out the lag (three fast-forwards of a minute), then unlock and power on.
  for (let i = 0; i < 4; i++) {
    await lab.fastForward.click();
    await page.waitForTimeout(300);
  }
  await lab.goTo('#/kms/kms-b');
  await expect(lab.main.getByRole('row', { name: /web-03/ })).toBeVisible();
  expect((await vm(lab, 'web-03', 'Unlock VM')).ok).toBe(true);
  expect((await lab.runAction('Power on')).ok).toBe(true);
  await lab.expectStep('lag-over', 'done');

  // 5. kms-a hung again, kms-b moved to the top: web-04's key comes at once.
  await lab.predict({ 'web-04': 'From kms-b, at once' });
  await kms(lab, 'kms-a', 'Restore');
  await kms(lab, 'kms-a', 'Make hung');
  await lab.goTo('#/providers');
  await lab.main.locator('article[data-provider="KMS-Cluster"]').getByRole('button', { name: 'Move kms-b up' }).click();
  await expect(lab.main.getByRole('list', { name: /KMS nodes of KMS-Cluster/ }).getByRole('listitem').first()).toContainText('kms-b');
  await lab.main.locator('article[data-provider="KMS-Cluster"]').scrollIntoViewIfNeeded();
  await lab.shot('provider-card-kms-node-order');
  expect((await vm(lab, 'web-04', 'Encrypt')).ok).toBe(true);
  await lab.expectStep('node-order', 'done');

  // 6. Everything starts, kms-a still hung.
  for (const id of ['web-01', 'web-02', 'web-04']) expect((await vm(lab, id, 'Power on')).ok).toBe(true);
  await lab.expectStep('all-start', 'done');

  await lab.expectSummary({ score: ['6 of 6'] });
});
