// Lesson 1: set up the Native Key Provider the way vSphere intends: add it (TPM-only or not, knowing the trade-off on a
// cluster with a host without a TPM), back it up with a password (the real .p12, opened with openssl), make it the
// default, meet the host without a TPM (refused, or running with its KDK on its boot disk), encrypt a VM.
import type { LabEvent, LabView, NativeProviderView } from '@/machines/lab-types';
import { done, EVENT_ID, misconception, notYet } from './checks';
import { weakBackupPassword } from './backup-password';
import { catalogued, cmd } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

/** The name the instructions suggest; the checks accept any new Native Key Provider. */
const NKP = 'NKP-1';
/** The password "show me" uses (shown to the learner with the backup it makes). */
export const SHOW_ME_PASSWORD = 'Copper-Lantern-Orbit-Meadow-42';
const NO_TPM_HOST = 'esx-03';
const NO_TPM_VM = 'app-01';
const TARGET_VM = 'web-01';

function scenario() {
  return lessonScenario({
    title: 'Lesson 1: set up the Native Key Provider',
    description: 'A vSphere 8 cluster whose VMs use an external KMS. Add the Native Key Provider next to it.',
    kms: kmsCluster('KMS-Cluster'),
    hosts: [esxHost('esx-01', true), esxHost('esx-02', true), esxHost(NO_TPM_HOST, false)],
    datastoreMiB: 256,
    vms: [
      lessonVm('db-01', 'esx-01', { power: 'on', diskMiB: 2, encryptWith: 'KMS-Cluster', files: { 'customers.csv': CUSTOMERS_CSV } }),
      lessonVm(TARGET_VM, 'esx-02', { power: 'off', diskMiB: 2, files: { 'index.html': '<h1>Welcome to the lab shop</h1>\n' } }),
      lessonVm(NO_TPM_VM, NO_TPM_HOST, { power: 'off', diskMiB: 2, files: { 'notes.txt': 'Application server on the host without a TPM.\n' } }),
    ],
  });
}

/** The Native Key Provider the learner added (the first one that was not there at the start). */
export function learnerNkp(view: LabView, baseline: LessonBaseline): NativeProviderView | undefined {
  return view.vcenter?.keyProviders.find((p): p is NativeProviderView => p.kind === 'native' && !(p.name in baseline.providers));
}

/** What the later steps say when the learner's NKP was removed. */
const nkpGone = () => notYet('The Native Key Provider you added is gone: add it again.');

const after = (baseline: LessonBaseline) => (e: LabEvent) => e.time >= baseline.startedAt;

/** The provider's latest backup, from vCenter's crypto operations (the view has no other record of its password). */
function lastBackup(view: LabView, provider: NativeProviderView): LabEvent | undefined {
  return view.events.filter((e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'ExportKeyProvider' && e.keyId === provider.keyId).at(-1);
}

/** An encryption refused because the provider requires backup (the learner tried to use it too early). */
function triedBeforeBackup(view: LabView, baseline: LessonBaseline, provider: NativeProviderView): boolean {
  return view.events.some((e) => after(baseline)(e) && e.eventTypeId === EVENT_ID.taskFailed && e.message.includes(`Key provider ${provider.name} requires backup`));
}

const notBackedUpMessage = (p: NativeProviderView) =>
  `${p.name} is added but not backed up, so vCenter has not pushed its key derivation key (KDK) to any host yet (Hosts with the KDK: none). ` +
  `No host can make a key with it, default or not: an NKP becomes usable only once it is backed up. Back it up first.`;

function addCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const p = learnerNkp(view, baseline);
  if (!p) {
    const standard = view.vcenter?.keyProviders.find((k) => k.kind === 'standard' && !(k.name in baseline.providers));
    if (standard) {
      return misconception(
        'standard-not-native',
        `${standard.name} is a standard key provider: it needs an external KMS. The Native Key Provider is built into vCenter: choose Add Native Key Provider… instead.`,
      );
    }
    return notYet('No Native Key Provider in vCenter yet.');
  }
  // Both choices are right on this cluster: ticked keeps the KDK off esx-03 (no TPM), unticked lets esx-03 run NKP VMs.
  return done();
}

function backupCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const p = learnerNkp(view, baseline);
  if (!p) return nkpGone();
  if (!p.backedUp) {
    if (p.isDefault || triedBeforeBackup(view, baseline, p)) return misconception('not-backed-up-no-kdk', notBackedUpMessage(p));
    return notYet(`${p.name} is “Not backed up”.`);
  }
  // Backed up, vCenter pushes the KDK to the hosts ("Warning" until every eligible host has it): wait for Active.
  if (p.status !== 'active') return notYet(`${p.name} is backed up; vCenter is pushing its KDK to the hosts.`);
  if (lastBackup(view, p)?.message.includes('no password')) {
    return misconception(
      'backup-without-password',
      `The backup of ${p.name} was made without a password: the KDK sits in the .p12 unprotected, and anyone who copies the file can decrypt every VM this provider protects. ` +
        'vSphere allows it (VMware recommends a password and calls it a design decision); this lesson insists, because a copied file is then the key itself. Back it up again with a strong password.',
    );
  }
  return weakBackupPassword(view, p) ?? done();
}

function defaultCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const p = learnerNkp(view, baseline);
  if (!p) return nkpGone();
  return p.isDefault ? done() : notYet(`${view.vcenter?.keyProviders.find((k) => k.isDefault)?.name ?? 'Another provider'} is still the default.`);
}

function noTpmCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const p = learnerNkp(view, baseline);
  if (!p) return nkpGone();
  const refused = view.events.some((e) => after(baseline)(e) && e.eventTypeId === EVENT_ID.taskFailed && e.message.includes('TPM2 Device is Required'));
  if (refused) return done();
  const vm = view.vms.find((v) => v.id === NO_TPM_VM);
  // Unticked TPM-only: esx-03 holds the KDK and app-01 is encrypted with it; that is the other side of the trade-off.
  if (vm?.encryption && vm.encryption.providerId === p.id) return done();
  if (vm?.encryption && vm.encryption.providerId !== p.id) {
    return misconception(
      'encrypted-with-other-provider',
      `app-01 was encrypted with ${vm.encryption.providerName}, not ${p.name}, so the host without a TPM was never asked for ${p.name}'s KDK. ` +
        `Decrypt app-01 and encrypt it again choosing ${p.name} as the key provider.`,
    );
  }
  return notYet(`Encrypt app-01 with ${p.name} (or try to).`);
}

function encryptCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const p = learnerNkp(view, baseline);
  if (!p) return nkpGone();
  const vm = view.vms.find((v) => v.id === TARGET_VM);
  if (!vm?.encryption) return notYet('web-01 is not encrypted yet.');
  if (vm.encryption.providerId !== p.id) {
    return misconception(
      'encrypted-with-other-provider',
      `web-01 is encrypted, but with ${vm.encryption.providerName}: its KEK came from the external KMS, not from ${p.name}. ` +
        `A shallow re-key with ${p.name} as the key provider moves it across (the DEK stays, only its wrapping changes).`,
    );
  }
  return done();
}

export const lesson: Lesson = {
  ...catalogued('nkp-setup'),
  scenario,
  // Where the lesson begins: the first thing a newcomer sees is Add Native Key Provider…, not the disaster buttons.
  startPage: '#/providers',
  prelude: [],
  steps: [
    {
      id: 'add-nkp',
      title: 'Add a Native Key Provider',
      instructions:
        `Open Key Providers (in the vSphere Client: vCenter Server > Configure > Security > Key Providers; the lab’s inventory node is a shortcut). Choose Add Native Key Provider… and name it ${NKP}. ` +
        'Then decide “Use key provider only with TPM protected ESXi hosts (Recommended)”: esx-01 and esx-02 have TPM 2.0, esx-03 has none. Ticked, esx-03 never gets the KDK and cannot run NKP-encrypted VMs; unticked (VMware’s advice for a cluster that mixes both), it can, and keeps the KDK where a copy of its boot disk gives it away. Either is right here; choose, then Add key provider.',
      hints: [
        'The lab’s inventory tree has a Key Providers node under the vCenter Server: the same page as vCenter Server > Configure > Security > Key Providers.',
        'Every host keeps the KDK in its encrypted configuration across reboots, TPM or not. The TPM seals that configuration’s key, so a stolen host or boot disk does not give the KDK away; without a TPM the key lies on the boot disk.',
      ],
      why:
        'vCenter generates the NKP’s key derivation key (KDK) itself: no external KMS. Ticked, hosts without TPM 2.0 never receive the KDK, so wherever it lands the TPM protects it, at the price of VMs that cannot run on esx-03; unticked, every host can run them (VMware’s NKP Q&A advises this for mixed clusters).',
      evidence: 'keyMap',
      check: addCheck,
      showMe: () => [cmd({ type: 'provider.addNative', name: NKP, tpmOnly: true })],
    },
    {
      id: 'back-up',
      title: 'Back it up with a strong password',
      instructions:
        `On the provider’s card choose Back up ${NKP}…, keep “Protect Native Key Provider data with password (Recommended)” ticked, and type a long passphrase ` +
        '(four or more unrelated words). Confirm it, tick “I have saved the password in a secure place.” and choose Back up key provider. The .p12 file downloads.',
      hints: [
        'The provider says “Not backed up” and its health says it requires backup: that is the alarm vSphere raises until a backup exists.',
        'The strength hint under the password field turns green for a long passphrase.',
      ],
      why:
        'An NKP is unusable until it is backed up: only then does vCenter push its KDK to the hosts. The hosts keep a copy in their encrypted configurations and vCenter’s file-based backup contains it, but a new vCenter gets the KDK only from a backup: this .p12, or a file-based backup of this vCenter. If vCenter dies, this file and its password bring every VM back into a new one.',
      evidence: 'keyMap',
      check: backupCheck,
      showMe: (view, baseline) => [{ kind: 'backupNkp', providerName: learnerNkp(view, baseline)?.name ?? NKP, password: SHOW_ME_PASSWORD, handout: true }],
      predict: {
        question: 'Once the provider is backed up, which hosts will hold its KDK, and how is it protected there?',
        choices: [
          { id: 'sealed', label: 'Keeps the KDK; the TPM seals its configuration' },
          { id: 'disk', label: 'Keeps the KDK; its configuration key lies on the boot disk' },
          { id: 'none', label: 'Never gets the KDK' },
        ],
        subjects: (view) => view.hosts.map((h) => ({ id: h.id, label: `${h.name}${h.hasTpm ? ' (TPM 2.0)' : ' (no TPM)'}` })),
        observe: (view, hostId, baseline) => {
          const host = view.hosts.find((h) => h.id === hostId);
          const p = learnerNkp(view, baseline);
          if (p && host && p.hostsWithKdk.includes(host.id)) {
            return host.hasTpm
              ? { choice: 'sealed', reason: 'It has TPM 2.0: it keeps the KDK in its encrypted configuration, whose key the TPM seals. It survives a reboot, and a copy of its boot disk gives nothing away.' }
              : { choice: 'disk', reason: 'No TPM: it keeps the KDK in its encrypted configuration across reboots too, but the configuration’s key lies on the boot disk, so a copy of that disk gives the KDK away.' };
          }
          return {
            choice: 'none',
            reason: host?.hasTpm || !p?.tpmOnly
              ? 'It was not connected and on when vCenter pushed the KDK.'
              : 'No TPM 2.0, and the provider is for TPM-protected hosts only: vCenter never pushes the KDK to it.',
          };
        },
      },
    },
    {
      id: 'set-default',
      title: 'Look inside the backup, then make it the default',
      instructions:
        'Open the downloaded .p12 with openssl (command below) and the password you chose: it prints a “Secret bag”, the provider’s name as friendlyName and 32 bytes of key, the KDK itself. ' +
        `Then, back in Key Providers, choose Set as default on ${NKP}.`,
      terminal: 'openssl pkcs12 -info -nodes -in NKP-1_<key-id>.p12',
      hints: [
        'With a wrong password openssl stops at “Mac verify error: invalid password?”: the file’s integrity check (its MAC) fails before anything is decrypted.',
        'Set as default is on the provider’s card, next to Back up.',
      ],
      why:
        'Whoever holds the .p12 and its password holds the KDK, and with it every key this provider derives: store the file and the password apart. The default provider is the one Encrypt uses when you do not choose one.',
      evidence: 'keyMap',
      check: defaultCheck,
      showMe: (view, baseline) => {
        const p = learnerNkp(view, baseline);
        return p ? [cmd({ type: 'provider.setDefault', providerId: p.id })] : [];
      },
    },
    {
      id: 'meet-no-tpm',
      title: 'Meet the host without a TPM',
      // It ends in a refusal or a success, by the learner's choices: its explanation is headed “Why”.
      expectedOutcome: 'mixed',
      instructions: `Open app-01 (it lives on esx-03.lab.local, which has no TPM 2.0). Under VM encryption, leave the key provider on Default (${NKP}) and choose Encrypt. Read what vCenter says.`,
      hints: [
        'app-01 is under esx-03.lab.local in the inventory.',
        'With the TPM-only box ticked, expect a refusal: that refusal is the point. Unticked, it works: esx-03 holds the KDK.',
      ],
      why:
        'A TPM-only NKP never gives its KDK to a host without TPM 2.0, so that host cannot make or open keys of this provider: the operation fails (“TPM2 Device is Required” is how the host’s log puts it). That is the trade-off: ticked, esx-03 cannot run NKP VMs; unticked, it can, and a copy of its boot disk holds the KDK. Give such hosts a TPM 2.0, or accept that.',
      evidence: 'events',
      check: noTpmCheck,
      showMe: () => [cmd({ type: 'vm.encrypt', vmId: NO_TPM_VM })],
    },
    {
      id: 'encrypt-vm',
      title: 'Encrypt a VM with the Native Key Provider',
      instructions: `Open web-01 (on esx-02.lab.local, which has a TPM; it is powered off, as encryption requires). Under VM encryption, with the key provider on Default (${NKP}), choose Encrypt.`,
      hints: ['Encrypt needs the VM powered off; web-01 already is.', 'Afterwards the key map shows web-01’s KEK under your NKP and its DEK wrapped by that KEK.'],
      why:
        'The host makes the VM’s DEK and encrypts the disk; the KEK that wraps the DEK comes from the NKP’s KDK, which the host already holds. vCenter keeps the wrapped key in its key database; the VM’s files carry the provider name and key ID.',
      evidence: 'keyMap',
      check: encryptCheck,
      showMe: () => [cmd({ type: 'vm.encrypt', vmId: TARGET_VM })],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'An NKP is unusable until it is backed up: the backup is what makes vCenter push the KDK to the hosts.',
    'Every host keeps the KDK in its encrypted configuration across reboots; the TPM seals that configuration, without one its key lies on the boot disk.',
    '“Use key provider only with TPM protected ESXi hosts” keeps the KDK off hosts without TPM 2.0 (their crypto operations fail); VMware advises unticking it for a cluster that mixes both, for availability.',
    'The .p12 holds the KDK: with its password, openssl shows the key bytes. A new vCenter gets the KDK only from a backup: keep the file and the password safe, and apart.',
    'The default key provider is what Encrypt uses unless you pick another.',
  ],
};
