// "Show clicks as PowerCLI": for what the learner did outside the console (the lab's journal entries since the console
// last looked), the comment and one-liner the console prints, so a click teaches its command. Pure: the panel decides
// which entries the console itself made (those it ran) and passes the view from before the entries were made.
import type { JournalEntry, LabCommand, LabView } from '../lab-types';
import { asPowerCli, backupAsPowerCli, restoreAsPowerCli } from './as-powercli';

export interface ClickAsPowerCli {
  seq: number;
  /** `# You clicked: Encrypt db-01` */
  comment: string;
  /** The one-liner, or null when PowerCLI has no cmdlet for it. */
  oneLiner: string | null;
  /** Why there is no one-liner (null when there is one). */
  note: string | null;
}

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;
type Say = { [T in LabCommand['type']]: (command: Of<T>, n: Names) => string };

interface Names {
  vm: (id: string) => string;
  host: (id: string) => string;
  provider: (id: string) => string;
  kms: (id: string) => string;
}

const withProvider = (c: { providerId?: string }, n: Names) => (c.providerId ? ` with ${n.provider(c.providerId)}` : '');

// The action as the learner did it, in the UI's words (short: the comment is one line).
const SAY: Say = {
  'vcenter.destroy': () => 'Destroy vCenter',
  'vcenter.deploy': () => 'Deploy a new vCenter',
  'vcenter.stop': () => 'Stop vCenter',
  'vcenter.start': () => 'Start vCenter',
  'user.switch': (c) => `Log in as ${c.userName}`,
  'provider.addStandard': (c) => `Add Standard Key Provider ${c.name}`,
  'provider.addNative': (c) => `Add Native Key Provider ${c.name}`,
  'provider.setDefault': (c, n) => `Set ${n.provider(c.providerId)} as default`,
  'provider.remove': (c, n) => `Delete key provider ${n.provider(c.providerId)}`,
  'provider.reorderKmsNodes': (c, n) => `Reorder the KMS nodes of ${n.provider(c.providerId)}`,
  'kms.down': (c, n) => `Take KMS ${n.kms(c.kmsId)} down`,
  'kms.hang': (c, n) => `Hang KMS ${n.kms(c.kmsId)}`,
  'kms.restore': (c, n) => `Restore KMS ${n.kms(c.kmsId)}`,
  'kms.revokeKey': (c, n) => `Revoke key ${c.keyId} on ${n.kms(c.kmsId)}`,
  'kms.destroyKey': (c, n) => `Destroy key ${c.keyId} on ${n.kms(c.kmsId)}`,
  'host.reboot': (c, n) => `Reboot ${n.host(c.hostId)}`,
  'host.powerOff': (c, n) => `Power off ${n.host(c.hostId)}`,
  'host.powerOn': (c, n) => `Power on ${n.host(c.hostId)}`,
  'host.disconnect': (c, n) => `Disconnect ${n.host(c.hostId)}`,
  'host.connect': (c, n) => `Connect ${n.host(c.hostId)}`,
  'host.remove': (c, n) => `Remove ${n.host(c.hostId)} from inventory`,
  'host.add': (c, n) => `Add host ${n.host(c.hostId)}`,
  'host.clearTpm': (c, n) => `Clear the TPM of ${n.host(c.hostId)}`,
  'host.enableEncryptionMode': (c, n) => `Enable host encryption mode on ${n.host(c.hostId)}`,
  'host.disableEncryptionMode': (c, n) => `Disable host encryption mode on ${n.host(c.hostId)}`,
  'vm.powerOn': (c, n) => `Power on ${n.vm(c.vmId)}${c.hostId ? ` on ${n.host(c.hostId)}` : ''}`,
  'vm.powerOff': (c, n) => `Power off ${n.vm(c.vmId)}`,
  'vm.migrate': (c, n) => `Migrate ${n.vm(c.vmId)} to ${n.host(c.hostId)}`,
  'vm.encrypt': (c, n) => `Encrypt ${n.vm(c.vmId)}${withProvider(c, n)}`,
  'vm.decrypt': (c, n) => `Decrypt ${n.vm(c.vmId)}`,
  'vm.rekeyShallow': (c, n) => `Re-encrypt ${n.vm(c.vmId)} (shallow)${withProvider(c, n)}`,
  'vm.rekeyDeep': (c, n) => `Re-encrypt ${n.vm(c.vmId)} (deep)${withProvider(c, n)}`,
  'vm.rekeyShallowMany': (c, n) => `Re-encrypt ${c.vmIds.map(n.vm).join(', ')} (shallow)${withProvider(c, n)}`,
  'vm.addVtpm': (c, n) => `Add a vTPM to ${n.vm(c.vmId)}`,
  'vm.removeVtpm': (c, n) => `Remove the vTPM of ${n.vm(c.vmId)}`,
  'vm.takeSnapshot': (c, n) => `Take a snapshot of ${n.vm(c.vmId)}`,
  'vm.deleteSnapshots': (c, n) => `Delete all snapshots of ${n.vm(c.vmId)}`,
  'vm.register': (c) => `Register VM ${c.folder}`,
  'vm.unregister': (c, n) => `Remove ${n.vm(c.vmId)} from inventory`,
  'vm.unlock': (c, n) => `Unlock ${n.vm(c.vmId)}`,
  'guest.writeFile': (c, n) => `Write ${c.name} in the guest of ${n.vm(c.vmId)}`,
  'clock.advance': () => 'Let time pass',
};

// Why a click has no one-liner, by kind of command (the rest: "PowerCLI has no cmdlet for this").
function noteFor(command: LabCommand): string {
  if (command.type.startsWith('kms.')) return 'The KMS administrator does this on the key server, not with PowerCLI.';
  if (command.type.startsWith('vcenter.')) return 'This is done to the vCenter appliance itself, not with PowerCLI.';
  if (command.type === 'provider.addNative') return 'PowerCLI has no cmdlet that adds a Native Key Provider: use the vSphere Client (or the REST API).';
  if (command.type === 'guest.writeFile' || command.type === 'clock.advance') return 'This is the lab itself, not vSphere: no cmdlet.';
  return 'PowerCLI has no cmdlet for this; the vSphere Client does it.';
}

function namesIn(view: LabView): Names {
  return {
    vm: (id) => view.vms.find((v) => v.id === id)?.name ?? id,
    host: (id) => view.hosts.find((h) => h.id === id)?.name ?? id,
    provider: (id) => view.vcenter?.keyProviders.find((p) => p.id === id)?.name ?? id,
    kms: (id) => view.kmsNodes.find((k) => k.id === id)?.name ?? id,
  };
}

/** One journal entry as the console shows it, read against `view` (the world before it was done), or null for what is no action (a resume). */
export function clickAsPowerCli(entry: JournalEntry, view: LabView): ClickAsPowerCli | null {
  const n = namesIn(view);
  const op = entry.op;
  let said: string;
  let oneLiner: string | null;
  if (op.kind === 'command') {
    said = (SAY[op.command.type] as (c: LabCommand, n: Names) => string)(op.command, n);
    oneLiner = asPowerCli(op.command, view);
  } else if (op.kind === 'nkpBackup') {
    const name = n.provider(op.providerId);
    said = `Back up ${name}`;
    oneLiner = backupAsPowerCli(name, `${name}.p12`);
  } else if (op.kind === 'nkpRestore') {
    said = `Restore from backup${op.fileName ? ` ${op.fileName}` : ''}`;
    oneLiner = restoreAsPowerCli(op.fileName ?? 'backup.p12');
  } else {
    return null;
  }
  const refused = entry.outcome !== 'ok' && entry.outcome !== 'pending' ? ` (the lab refused it${entry.reason ? `: ${entry.reason}` : ''})` : '';
  return {
    seq: entry.seq,
    comment: `# You clicked: ${said}${refused}`,
    oneLiner,
    note: oneLiner === null && op.kind === 'command' ? noteFor(op.command) : null,
  };
}

/**
 * The entries made since `afterSeq` that the console did not make (`fromConsole` holds the seqs it made), as the
 * console shows them, oldest first, and the seq to look after next time.
 */
export function clicksSince(entries: readonly JournalEntry[], afterSeq: number, fromConsole: ReadonlySet<number>, view: LabView): { clicks: ClickAsPowerCli[]; lastSeq: number } {
  const clicks: ClickAsPowerCli[] = [];
  let lastSeq = afterSeq;
  for (const entry of entries) {
    if (entry.seq <= afterSeq) continue;
    lastSeq = Math.max(lastSeq, entry.seq);
    if (fromConsole.has(entry.seq)) continue;
    const click = clickAsPowerCli(entry, view);
    if (click) clicks.push(click);
  }
  return { clicks, lastSeq };
}
