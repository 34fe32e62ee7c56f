// "Show clicks as PowerCLI": for what the learner did outside the console (the lab's journal entries since the console
// last looked), the comment and one-liner the console prints, so a click teaches its command. Pure: the panel decides
// which entries the console itself made (those it ran) and passes the view from before the entries were made.
import type { JournalEntry, LabCommand, LabView } from '../lab-types';
import { describeJournalOp, type NameOf } from '../view/journal-words';
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

// Why a click has no one-liner, by kind of command (the rest: "PowerCLI has no cmdlet for this").
function noteFor(command: LabCommand): string {
  if (command.type.startsWith('kms.')) return 'The KMS administrator does this on the key server, not with PowerCLI.';
  if (command.type.startsWith('vcenter.')) return 'This is done to the vCenter appliance itself, not with PowerCLI.';
  if (command.type === 'provider.addNative') return 'PowerCLI has no cmdlet that adds a Native Key Provider: use the vSphere Client (or the REST API).';
  if (command.type === 'guest.writeFile' || command.type === 'clock.advance') return 'This is the lab itself, not vSphere: no cmdlet.';
  return 'PowerCLI has no cmdlet for this; the vSphere Client does it.';
}

/** Names as the view knows them (a host's FQDN, a VM's name, a provider's, a KMS node's). */
function nameIn(view: LabView): NameOf {
  return (id) =>
    view.vms.find((v) => v.id === id)?.name ??
    view.hosts.find((h) => h.id === id)?.name ??
    view.vcenter?.keyProviders.find((p) => p.id === id)?.name ??
    view.kmsNodes.find((k) => k.id === id)?.name;
}

/** One journal entry as the console shows it, read against `view` (the world before it was done), or null for what is no action (a resume). */
export function clickAsPowerCli(entry: JournalEntry, view: LabView): ClickAsPowerCli | null {
  const op = entry.op;
  if (op.kind === 'resume') return null;
  // The words are the journal's own (the same as Go back to here and Redo name the step).
  const said = describeJournalOp(op, nameIn(view));
  let oneLiner: string | null;
  if (op.kind === 'command') {
    oneLiner = asPowerCli(op.command, view);
  } else if (op.kind === 'nkpBackup') {
    const name = nameIn(view)(op.providerId) ?? op.providerId;
    oneLiner = backupAsPowerCli(name, `${name}.p12`);
  } else {
    oneLiner = restoreAsPowerCli(op.fileName ?? 'backup.p12');
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
