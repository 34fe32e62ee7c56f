// Lesson 8: the traps that lose data for good, met safely. A .p12 whose password nobody kept is worthless (a new NKP
// under the same name has another KDK), and a key destroyed on the KMS has no back door: once the host that still held
// it reboots, the VM never starts again. Proof: no key the lab holds opens either disk. Every copy of NKP-1's KDK is
// accounted for: vCenter's (lost, no file-based backup kept), esx-02's (its encrypted configuration gone in the
// disaster), the .p12's (locked by the lost password); esx-01 never had it (no TPM 2.0, and NKP-1 is TPM-only).
import type { LabView } from '@/machines/lab-types';
import { EVENT_ID, findVm, firstOf, kmsKeyDestroyed, lastEventId, lastHostStart, misconception, nativeProviders, notYet, powerOnRefused, startingBackupKdkId, vmRuns } from './checks';
import { catalogued, cmd, encryptWith, nkpReady, hostsReinstalledThenVcenterLost } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Cluster';
const NKP = 'NKP-1';
/** Only in this file: the learner is never given it. */
const LOST_PASSWORD = 'Nobody-Wrote-This-Down-7731';
/** Encrypted with NKP-1, powered off, its host's encrypted configuration lost in the disaster: only the backup could bring its key back. */
const VAULT = 'vault-01';
/** Running with a KMS key the learner will destroy, on a host without a TPM (so NKP-1's KDK never reached it). */
const LEDGER = 'ledger-01';
const LEDGER_HOST = 'esx-01';
const VAULT_HOST = 'esx-02';

function scenario() {
  return lessonScenario({
    title: 'The traps',
    description: 'A rebuilt vCenter: a VM encrypted with a Native Key Provider whose backup password is lost, and a VM running with a key from a KMS.',
    kms: kmsCluster(KMS),
    hosts: [esxHost(LEDGER_HOST, false), esxHost(VAULT_HOST, true)],
    datastoreMiB: 128,
    vms: [
      lessonVm(LEDGER, LEDGER_HOST, {
        power: 'on',
        diskMiB: 1,
        encryptWith: KMS,
        files: { 'ledger.csv': 'date,amount\n2024-03-01,1200.00\n2024-03-02,-310.50\n' },
      }),
      lessonVm(VAULT, VAULT_HOST, { power: 'on', diskMiB: 1, files: { 'contracts.txt': 'Contract 2024-17: signed, archived here only.\n' } }),
    ],
  });
}

/** A new Native Key Provider added in the hope it opens vault-01: a new KDK, whatever its name. */
function newNkpHope(view: LabView, baseline: LessonBaseline): CheckResult | null {
  const backup = startingBackupKdkId(view, baseline, NKP);
  const fresh = nativeProviders(view).find((p) => p.keyId !== backup);
  if (!fresh) return null;
  return misconception(
    'same-name-new-kdk',
    `${fresh.name} is a new Native Key Provider with a new KDK (key ID ${fresh.keyId}). ${VAULT}’s key was derived from the KDK in the backup (key ID ${backup ?? 'unknown'}), and no other KDK derives it${fresh.name === NKP ? ', even under the same name' : ''}. Without the backup’s password that KDK is gone.`,
  );
}

function triedBackup(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => newNkpHope(view, baseline),
    () => {
      const tried = view.events.some((e) => e.eventTypeId === EVENT_ID.taskFailed && e.message.startsWith('Restore from backup failed:'));
      return tried ? null : notYet('Try Key Providers > Add > Restore from backup with the .p12 and a password you think it might be.');
    },
  );
}

function vaultLocked(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => newNkpHope(view, baseline),
    () => {
      if (vmRuns(view, VAULT)) return notYet(`${VAULT} runs: its key was recovered after all.`);
      // It came back into the inventory locked already; the step is to try, and read vSphere's refusal.
      return powerOnRefused(view, VAULT) && findVm(view, VAULT)?.locked ? null : notYet(`Try to Power on ${VAULT}.`);
    },
  );
}

function keyDestroyed(view: LabView, baseline: LessonBaseline): CheckResult {
  const keyId = baseline.vms[LEDGER]?.keyId ?? '';
  return kmsKeyDestroyed(view, keyId) ? { status: 'done' } : notYet(`Destroy key ${keyId} (${LEDGER}’s) on a KMS node’s page.`);
}

function destroyedAt(view: LabView, baseline: LessonBaseline): number {
  const keyId = baseline.vms[LEDGER]?.keyId;
  return lastEventId(view, (e) => e.operation === 'Destroy' && e.keyId === keyId);
}

function ledgerLost(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => keyDestroyed(view, baseline),
    () => {
      const vm = findVm(view, LEDGER);
      if (vm?.encryption && vm.encryption.keyId !== baseline.vms[LEDGER]?.keyId) {
        return notYet(
          `${LEDGER} has a new key: re-keyed while its host still held the old one, it is safe. That is the right move in a real incident (do not shut anything down first), but this step shows the other outcome: reset the lesson to see it.`,
        );
      }
      return null;
    },
    () => (lastHostStart(view, LEDGER_HOST) > destroyedAt(view, baseline) ? null : notYet(`Reboot ${LEDGER_HOST} (its page > Reboot).`)),
    () => (findVm(view, LEDGER)?.locked ? null : notYet(`Try to Power on ${LEDGER}.`)),
  );
}

export const lesson: Lesson = {
  ...catalogued('the-traps'),
  scenario,
  prelude: [
    ...nkpReady(NKP, LOST_PASSWORD, { handout: true, passwordLost: true }),
    ...encryptWith(VAULT, NKP),
    // The disaster: esx-02 was reinstalled (no recovery key kept, so its encrypted configuration and NKP-1's KDK in it
    // are gone), and vCenter was lost with no file-based backup kept.
    ...hostsReinstalledThenVcenterLost([VAULT_HOST]),
    // The rebuild: a new vCenter, the KMS provider added back under its old name, the hosts added.
    cmd({ type: 'vcenter.deploy' }),
    cmd({ type: 'provider.addStandard', name: KMS, kmsNodeIds: ['kms-a', 'kms-b'] }),
    cmd({ type: 'host.add', hostId: LEDGER_HOST }),
    cmd({ type: 'host.add', hostId: VAULT_HOST }),
  ],
  handoutNote: `${NKP}’s backup (.p12), made last week and found on a file share. Its password was chosen by a colleague who has left; nobody wrote it down. No file-based backup of the old vCenter was kept.`,
  steps: [
    {
      id: 'try-backup',
      title: 'Try the backup without its password',
      // The step is met when the refusal is seen: its explanation is not headed “Why it worked”.
      expectedOutcome: 'failure',
      instructions: 'Download the .p12. Open Key Providers, choose Add > Restore from backup (the lab’s button: Restore from backup…), choose the file and try any password you like.',
      hints: ['The file is intact; only the password is missing.', 'There is no reset or recovery for a .p12 password: it is what encrypts the KDK inside.'],
      why: 'The .p12 holds the KDK encrypted with a key derived from its password, and sealed with a MAC over it. A wrong password fails that check: without the password the file is random bytes.',
      check: triedBackup,
    },
    {
      id: 'vault-locked',
      title: 'Try to start vault-01',
      // The step is met when the refusal is seen: its explanation is not headed “Why it worked”.
      expectedOutcome: 'failure',
      instructions: 'Open vault-01 and click Power on. Read why it is locked.',
      hints: ['Adding a Native Key Provider named NKP-1 does not help: a new provider gets a new KDK.'],
      why:
        'vault-01’s KEK is derived from NKP-1’s KDK. That KDK was in vCenter (lost, and no file-based backup of it kept), in esx-02’s encrypted configuration (gone in the disaster) and in the .p12 (locked by the lost password); esx-01 never had it, having no TPM 2.0 for a TPM-only provider. Nothing else can derive the key: the data is gone.',
      evidence: 'keyMap',
      check: vaultLocked,
      showMe: () => [cmd({ type: 'vm.powerOn', vmId: VAULT })],
      predict: {
        question: 'Without the backup’s password, can vault-01 ever start again?',
        choices: [
          { id: 'new-nkp', label: 'Yes: add a new NKP with the same name' },
          { id: 'support', label: 'Yes: VMware support has a way in' },
          { id: 'never', label: 'Never: the KDK is gone' },
        ],
        subjects: () => [{ id: VAULT, label: VAULT }],
        observe: (view) => ({
          choice: 'never',
          reason: `${findVm(view, VAULT)?.locked?.message ?? `${VAULT} cannot get its key.`} There is no back door: no copy of the KDK opens without the password.`,
        }),
      },
    },
    {
      id: 'destroy-key',
      title: 'Destroy a key that is still in use',
      instructions: 'ledger-01 runs with a key from KMS-Cluster. Open KMS nodes > kms-a and, in the row of the key used by ledger-01, click Destroy… and confirm.',
      hints: ['The key table’s “Used by” column names the VM.', 'Destroying on one node reaches every node of the cluster.'],
      why: 'vCenter never destroys keys on a KMS: this is the KMS administrator’s act, for example a clean-up of keys thought unused. KMIP Destroy removes the key material from every node.',
      evidence: 'keyMap',
      check: keyDestroyed,
      showMe: (_view, baseline) => [cmd({ type: 'kms.destroyKey', kmsId: 'kms-a', keyId: baseline.vms[LEDGER]?.keyId ?? '' })],
      predict: {
        question: 'Right after its key is destroyed on the KMS, what happens to ledger-01?',
        choices: [
          { id: 'runs', label: 'Keeps running' },
          { id: 'stops', label: 'Stops at once' },
          { id: 'locked', label: 'Keeps running, but locked' },
        ],
        subjects: () => [{ id: LEDGER, label: LEDGER }],
        observe: (view) =>
          vmRuns(view, LEDGER)
            ? { choice: 'runs', reason: `It keeps running: esx-01 still holds its KEK in memory. vCenter keeps only the key ID; nothing checks the KMS until the key is needed again.` }
            : { choice: findVm(view, LEDGER)?.locked ? 'locked' : 'stops', reason: `${LEDGER} is not running.` },
      },
    },
    {
      id: 'reboot-host',
      title: 'Reboot its host',
      instructions: 'Open esx-01.lab.local and click Reboot. Then open ledger-01 and click Power on. Read its lock reason.',
      hints: ['After the reboot, vCenter asks the KMS nodes for the key by its ID: KMIP Get.'],
      why: 'The host’s memory held the last copy of the key. After the reboot every KMS node answers “not found” (KeyStateMissingInKMS): there is no back door, and without a backup of the VM’s data it is gone.',
      evidence: 'events',
      check: ledgerLost,
      showMe: () => [cmd({ type: 'host.reboot', hostId: LEDGER_HOST }), cmd({ type: 'vm.powerOn', vmId: LEDGER })],
      predict: {
        question: 'After esx-01 reboots, can ledger-01 power on?',
        choices: [
          { id: 'starts', label: 'Powers on' },
          { id: 'cannot', label: 'Cannot power on, ever' },
        ],
        subjects: () => [{ id: LEDGER, label: LEDGER }],
        observe: (view) => {
          const vm = findVm(view, LEDGER);
          return vm?.locked
            ? { choice: 'cannot', reason: `${vm.locked.reason}: ${vm.locked.message}` }
            : { choice: vmRuns(view, LEDGER) ? 'starts' : 'cannot', reason: vmRuns(view, LEDGER) ? `${LEDGER} runs.` : `${LEDGER} is off.` };
        },
      },
    },
  ],
  proof: { kind: 'unrecoverable', vmIds: [VAULT, LEDGER] },
  summary: [
    'A backup .p12 is only as good as its password: keep both, apart, in places that outlive people.',
    'A new Native Key Provider, even under the same name, has a new KDK and opens nothing old.',
    'Destroying a key on the KMS is final: a running VM survives only until its host reboots.',
    'If a key is lost while its VM still runs: do not shut anything down; re-key it at once, while the host still holds the key.',
  ],
};
