// The journal: every command recorded with its lab time, saved with the lab; a replay on the same scenario and seed
// reaches the same view object by object (fresh key bytes, so fingerprints aside), including for random sequences.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenario } from '@/lib/scenario';
import type { JournalEntry, Lab, LabCommand, LabView } from '../lab-types';
import { createManualClock } from './lab-clock';
import { replayJournal } from './journal-replay';
import { closeTestLabs, ok, openTestLab, reopenTestLab } from './lab-test-support';

afterEach(closeTestLabs);

/** The view as a replay must reproduce it: key bytes are fresh, so what is derived from them (fingerprints) differs. */
function comparable(view: LabView): unknown {
  return JSON.parse(JSON.stringify(view, (key, value: unknown) => (/^fingerprint$|Fingerprint$/.test(key) || key === 'saveProblem' ? undefined : value)));
}

/** Paths where two JSON values differ (a readable failure instead of two whole views). */
function differences(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 12) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out);
  return out;
}

async function replayed(seed: string, entries: readonly JournalEntry[]) {
  const clock = createManualClock();
  const { lab } = await openTestLab({ label: 'replay', clock, scenario: defaultScenario(), seed });
  const mismatches = await replayJournal(lab, clock, entries);
  return { lab, clock, mismatches };
}

/** A small random walk over the lab's commands: most are allowed, some refused (a refusal is journaled too). */
function randomCommands(seed: number, count: number, view: LabView): LabCommand[] {
  let state = seed >>> 0;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const vmIds = view.vms.map((vm) => vm.id);
  const hostIds = view.hosts.map((h) => h.id);
  const kmsIds = view.kmsNodes.map((k) => k.id);
  const makers: (() => LabCommand)[] = [
    () => ({ type: 'vm.powerOff', vmId: pick(vmIds) }),
    () => ({ type: 'vm.powerOn', vmId: pick(vmIds) }),
    () => ({ type: 'vm.encrypt', vmId: pick(vmIds) }),
    () => ({ type: 'vm.decrypt', vmId: pick(vmIds) }),
    () => ({ type: 'vm.rekeyShallow', vmId: pick(vmIds) }),
    () => ({ type: 'vm.takeSnapshot', vmId: pick(vmIds) }),
    () => ({ type: 'vm.deleteSnapshots', vmId: pick(vmIds) }),
    () => ({ type: 'guest.writeFile', vmId: pick(vmIds), name: 'note.txt', text: `note ${Math.floor(next() * 1000)}` }),
    () => ({ type: 'host.reboot', hostId: pick(hostIds) }),
    () => ({ type: 'kms.down', kmsId: pick(kmsIds) }),
    () => ({ type: 'kms.restore', kmsId: pick(kmsIds) }),
    () => ({ type: 'provider.addNative', name: pick(['NKP-1', 'NKP-2']), tpmOnly: next() < 0.5 }),
    () => ({ type: 'provider.setDefault', providerId: pick(['NKP-1', 'NKP-2']) }),
    () => ({ type: 'clock.advance', ms: 1000 + Math.floor(next() * 60_000) }),
  ];
  return Array.from({ length: count }, () => pick(makers)());
}

async function runAll(lab: Lab, clock: ReturnType<typeof createManualClock>, commands: LabCommand[]) {
  for (const command of commands) {
    clock.advance(250); // real time passes between a learner's clicks
    await lab.dispatch(command);
  }
}

describe('the journal', () => {
  it('records every command with its lab time and outcome, refusals included, and keeps it across a reload', async () => {
    const clock = createManualClock();
    const opened = await openTestLab({ label: 'journal', clock, seed: 'seed-1' });
    clock.advance(5000);
    await ok(opened.lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const refused = await opened.lab.dispatch({ type: 'vm.decrypt', vmId: 'app-01' });
    expect(refused.ok).toBe(false);
    const entries = opened.lab.getView().journal.entries;
    expect(entries.map((e) => [e.seq, e.at, e.op, e.outcome])).toEqual([
      [1, 5000, { kind: 'command', command: { type: 'vm.powerOff', vmId: 'app-01' } }, 'ok'],
      [2, 5000, { kind: 'command', command: { type: 'vm.decrypt', vmId: 'app-01' } }, refused.ok ? 'ok' : refused.code],
    ]);
    expect(entries[1]!.reason).toBe(refused.ok ? undefined : refused.reason);
    await opened.lab.save();
    opened.lab.dispose();
    const { lab } = await reopenTestLab(opened);
    expect(lab.getView().journal.entries).toEqual(entries);
    expect(lab.getView().journal.notReplayable).toBeNull();
  });

  it('replays an NKP set-up, encryption, vCenter loss and restore from the backup to the same view', async () => {
    const clock = createManualClock();
    const { lab } = await openTestLab({ label: 'journal-nkp', clock, seed: 'seed-nkp' });
    await ok(lab, { type: 'provider.addNative', name: 'NKP-1', tpmOnly: false });
    clock.advance(1000);
    const file = await lab.exportNkpBackup('NKP-1', 'correct horse battery staple');
    await ok(lab, { type: 'provider.setDefault', providerId: 'NKP-1' });
    await ok(lab, { type: 'vm.rekeyShallow', vmId: 'web-01', providerId: 'NKP-1' });
    await ok(lab, { type: 'guest.writeFile', vmId: 'web-01', name: 'after.txt', text: 'written after encryption' });
    await ok(lab, { type: 'vcenter.destroy' });
    await ok(lab, { type: 'vcenter.deploy' });
    expect((await lab.restoreNkpFromBackup(file.bytes, 'correct horse battery staple')).ok).toBe(true);
    for (const host of lab.getView().hosts) await ok(lab, { type: 'host.add', hostId: host.id });
    const original = lab.getView();
    expect(original.journal.entries.map((e) => e.op.kind)).toContain('nkpRestore');
    expect(original.journal.entries.find((e) => e.op.kind === 'nkpRestore')?.op).toEqual({ kind: 'nkpRestore', fileName: file.fileName });

    const again = await replayed('seed-nkp', original.journal.entries);
    expect(again.mismatches).toEqual([]);
    expect(differences(comparable(again.lab.getView()), comparable(original))).toEqual([]);
    // Fresh key bytes, same data: the replayed world's guest file reads back through its own key chain.
    expect(await again.lab.readGuestFile('web-01', 'after.txt')).toBe('written after encryption');
    expect(again.lab.getView().vms.find((vm) => vm.id === 'web-01')?.encryption?.providerId).toBe('NKP-1');
  });

  it('replays a command that waited 60 s on a hung KMS node before the fast-forward that ended the wait', async () => {
    const clock = createManualClock();
    const { lab } = await openTestLab({ label: 'journal-hung', clock, seed: 'seed-hung' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    await ok(lab, { type: 'kms.hang', kmsId: 'kms-a' });
    const encrypting = lab.dispatch({ type: 'vm.encrypt', vmId: 'app-01' });
    await lab.untilSettled();
    expect(lab.getView().clock.pendingWaits).toHaveLength(1);
    await ok(lab, { type: 'clock.advance', ms: 60_000 });
    expect((await encrypting).ok).toBe(true);
    const original = lab.getView();
    expect(original.journal.entries.map((e) => (e.op.kind === 'command' ? e.op.command.type : e.op.kind))).toEqual([
      'vm.powerOff',
      'kms.hang',
      'vm.encrypt',
      'clock.advance',
    ]);

    const again = await replayed('seed-hung', original.journal.entries);
    expect(again.mismatches).toEqual([]);
    expect(differences(comparable(again.lab.getView()), comparable(original))).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5])('replays a random sequence of commands (seed %i) to the same view', async (seed) => {
    const clock = createManualClock();
    const { lab } = await openTestLab({ label: `journal-random-${seed}`, clock, seed: `random-${seed}` });
    await runAll(lab, clock, randomCommands(seed, 25, lab.getView()));
    const original = lab.getView();
    expect(original.journal.entries).toHaveLength(25);
    // A walk that is mostly refusals would prove little: most of it must have changed the world.
    expect(original.journal.entries.filter((e) => e.outcome === 'ok').length).toBeGreaterThanOrEqual(12);

    const again = await replayed(`random-${seed}`, original.journal.entries);
    expect(again.mismatches).toEqual([]);
    expect(differences(comparable(again.lab.getView()), comparable(original))).toEqual([]);
  });

  it('flags an entry edited by hand: its outcome no longer comes out as recorded', async () => {
    const clock = createManualClock();
    const { lab } = await openTestLab({ label: 'journal-edited', clock, seed: 'seed-edit' });
    await ok(lab, { type: 'vm.powerOff', vmId: 'app-01' });
    const refused = await lab.dispatch({ type: 'vm.decrypt', vmId: 'app-01' });
    expect(refused.ok).toBe(false);
    const forged = lab.getView().journal.entries.map((e) => (e.seq === 2 ? { ...e, outcome: 'ok' as const } : e));
    const again = await replayed('seed-edit', forged);
    expect(again.mismatches).toEqual([{ seq: 2, expected: 'ok', got: refused.ok ? 'ok' : refused.code, why: expect.stringMatching(/^Entry 2 came out/) }]);
  });
});
