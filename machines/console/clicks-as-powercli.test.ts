// "Show clicks as PowerCLI": which journal entries the console shows (those made outside it, once each) and what it
// says for them; the one-liner shown for a click does the same in a twin lab's console.
import { afterEach, describe, expect, it } from 'vitest';
import { closeFlowLabs, must, openFlowLab, vmView } from '../flows/flow-support';
import { clickAsPowerCli, clicksSince } from './clicks-as-powercli';
import { connected, runOk } from './test-support';

afterEach(closeFlowLabs);

const lastSeq = (entries: readonly { seq: number }[]) => entries.reduce((m, e) => Math.max(m, e.seq), 0);

describe('clicksSince', () => {
  it('shows a click once, with its one-liner, and skips what the console ran', async () => {
    const { lab } = await openFlowLab('clicks-1');
    const console_ = await connected(lab);
    const start = lastSeq(lab.getView().journal.entries);

    // The console's own command: its seqs are the console's, so it is not shown back.
    const beforeConsole = lab.getView();
    await runOk(console_, 'Stop-VM web-01 -Confirm:$false');
    const consoleSeqs = new Set(lab.getView().journal.entries.filter((e) => e.seq > lastSeq(beforeConsole.journal.entries)).map((e) => e.seq));
    expect(consoleSeqs.size).toBeGreaterThan(0);

    const beforeClick = lab.getView();
    await must(lab, { type: 'vm.encrypt', vmId: 'app-01' });
    const after = lab.getView();
    const first = clicksSince(after.journal.entries, start, consoleSeqs, beforeClick);
    expect(first.clicks.map((c) => [c.comment, c.oneLiner])).toEqual([['# You clicked: Encrypt app-01', 'Get-VM app-01 | Enable-VMEncryption']]);
    expect(first.lastSeq).toBe(lastSeq(after.journal.entries));
    // Looked at again with nothing new: nothing to show.
    expect(clicksSince(after.journal.entries, first.lastSeq, consoleSeqs, after).clicks).toEqual([]);

    // The one-liner works as it is in another lab's console.
    const twin = await openFlowLab('clicks-1-twin');
    const twinConsole = await connected(twin.lab);
    await runOk(twinConsole, first.clicks[0]!.oneLiner!);
    for (const task of twinConsole.session.tasks) await task.done;
    expect(vmView(twin.lab, 'app-01').encryption).not.toBeNull();
  });

  it('says why a click has no one-liner, and names a refusal', async () => {
    const { lab } = await openFlowLab('clicks-2');
    const start = lastSeq(lab.getView().journal.entries);
    const before = lab.getView();
    await must(lab, { type: 'kms.down', kmsId: 'kms-a' });
    await must(lab, { type: 'provider.addNative', name: 'NKP-2', tpmOnly: false });
    await lab.dispatch({ type: 'vm.decrypt', vmId: 'db-01' }); // refused: db-01 is powered on
    const { clicks } = clicksSince(lab.getView().journal.entries, start, new Set(), before);
    expect(clicks.map((c) => c.oneLiner)).toEqual([null, null, 'Set-VM -VM db-01 -DisableEncryption -Confirm:$false']);
    expect(clicks[0]!.comment).toBe('# You clicked: Take KMS node kms-a down'.replace('kms-a', before.kmsNodes.find((k) => k.id === 'kms-a')!.name));
    expect(clicks[0]!.note).toMatch(/KMS administrator/);
    expect(clicks[1]!.note).toMatch(/no cmdlet that adds a Native Key Provider/);
    const refused = clicks.find((c) => c.comment.includes('Decrypt db-01'));
    expect(refused?.comment).toMatch(/the lab refused it: .+/);
  });

  it('shows an NKP backup as Export-KeyProvider, never with the real password', async () => {
    const { lab } = await openFlowLab('clicks-3');
    await must(lab, { type: 'provider.addNative', name: 'NKP-3', tpmOnly: false });
    const view = lab.getView();
    const start = lastSeq(view.journal.entries);
    await lab.exportNkpBackup(view.vcenter!.keyProviders.find((p) => p.name === 'NKP-3')!.id, 'secret-Pw-123');
    const entries = lab.getView().journal.entries.filter((e) => e.seq > start);
    const click = clickAsPowerCli(entries.find((e) => e.op.kind === 'nkpBackup')!, view);
    expect(click?.comment).toBe('# You clicked: Back up key provider NKP-3');
    expect(click?.oneLiner).toMatch(/^Export-KeyProvider -KeyProvider NKP-3 -FilePath /);
    expect(click?.oneLiner).not.toContain('secret-Pw-123');
  });
});
