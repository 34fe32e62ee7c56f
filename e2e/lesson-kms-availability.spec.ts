// Lesson 7 as a learner takes it, on vSphere 6.7: a KMS node down (no wait), hung (a 60 s wait, fast-forwarded),
// replication lag (a VM locked while its key is only on kms-a; waiting does not bring it to kms-b, restoring kms-a
// does), the healthy node moved to the top (no wait again); then vCenter upgraded to 8.0, where the nodes take turns
// and one of two requests waits the servers' 30 s timeout; everything started; the lesson ends on its summary.
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
  await lab.predict({ 'web-03': 'No: locked until kms-a is back (a node that is down sends nothing)' });
  await kms(lab, 'kms-a', 'Restore');
  expect((await vm(lab, 'web-03', 'Encrypt')).ok).toBe(true);
  await kms(lab, 'kms-a', 'Take down');
  await lab.goTo('#/host/esx-01');
  expect((await lab.runAction('Reboot')).ok).toBe(true);
  const locked = await vm(lab, 'web-03', 'Power on');
  expect(locked.ok).toBe(false);
  expect(locked.text).toContain('KeyStateMissingInKMS');
  await lab.expectStep('replication-lag', 'done');

  // 4. Waiting does not help: kms-a is down, so kms-b never gets the key. Restoring kms-a does.
  for (let i = 0; i < 4; i++) {
    await lab.fastForward.click();
    await page.waitForTimeout(300);
  }
  await lab.goTo('#/kms/kms-b');
  const pending = lab.main.getByRole('region', { name: 'Pending replication' });
  await expect(pending).toContainText('waiting: kms-a is down');
  await expect(lab.main.getByText(/depends on the KMS product/)).toBeVisible();
  await pending.scrollIntoViewIfNeeded();
  await lab.shot('kms-b-waiting-for-sender');
  await lab.goTo('#/vm/web-03');
  await expect(lab.main.getByTestId('lock-advice')).toHaveAttribute('data-fate', 'awaitingSender');
  await expect(lab.main.getByTestId('lock-advice')).toContainText('Bring kms-a back');
  await lab.shot('vm-locked-awaiting-sender');
  await kms(lab, 'kms-a', 'Restore');
  expect((await vm(lab, 'web-03', 'Unlock VM')).ok).toBe(true);
  expect((await lab.runAction('Power on')).ok).toBe(true);
  await lab.expectStep('lag-over', 'done');

  // 5. kms-a hung again, kms-b moved to the top: web-04's key comes at once.
  await lab.predict({ 'web-04': 'From kms-b, at once' });
  await kms(lab, 'kms-a', 'Make hung');
  await lab.goTo('#/providers');
  await lab.main.locator('article[data-provider="KMS-Cluster"]').getByRole('button', { name: 'Move kms-b up' }).click();
  await expect(lab.main.getByRole('list', { name: /KMS nodes of KMS-Cluster/ }).getByRole('listitem').first()).toContainText('kms-b');
  await lab.main.locator('article[data-provider="KMS-Cluster"]').scrollIntoViewIfNeeded();
  await lab.shot('provider-card-kms-node-order');
  expect((await vm(lab, 'web-04', 'Encrypt')).ok).toBe(true);
  await lab.expectStep('node-order', 'done');

  // 6. Upgrade to 8.0: with kms-b still first, one of the two requests waits 30 s on kms-a (round-robin).
  await lab.predict({ 'web-05 and web-06': 'One: vCenter takes the nodes in turn' });
  await lab.goTo('#/vcenter');
  await lab.main.getByLabel('Release to run').selectOption('8.0');
  expect((await lab.runAction('Change version')).ok).toBe(true);
  await expect(lab.main.getByText(/takes the KMS nodes in turn/).first()).toBeVisible();
  await lab.main.getByRole('region', { name: 'vSphere version' }).scrollIntoViewIfNeeded();
  await lab.shot('vcenter-vsphere-version');
  let waited = 0;
  for (const id of ['web-05', 'web-06']) {
    await lab.goTo(`#/vm/${id}`);
    const button = lab.main.getByRole('button', { name: 'Encrypt', exact: true });
    await button.click();
    const wait = page.getByTestId('pending-wait');
    if (await wait.waitFor({ state: 'visible', timeout: 1_500 }).then(() => true, () => false)) {
      waited++;
      await expect(wait).toContainText('kms-a');
      await lab.fastForward.click();
    }
    expect((await lab.resultBeside(button)).ok).toBe(true);
  }
  expect(waited).toBe(1);
  await lab.expectStep('round-robin', 'done');
  await expect(lab.step('round-robin').getByTestId('prediction-result')).toContainText('1 of 1 right');

  // 7. kms-a restored, everything starts.
  await kms(lab, 'kms-a', 'Restore');
  for (const id of ['web-01', 'web-02', 'web-04', 'web-05', 'web-06']) expect((await vm(lab, id, 'Power on')).ok).toBe(true);
  await lab.expectStep('all-start', 'done');

  await lab.expectSummary({ score: ['7 of 7'] });
});
