// Lesson 12: a vTPM for a Windows 11 VM. Adding one fails without a key provider; a Native Key Provider is set up (the
// TPM-only option cannot serve the VM's host, which has no TPM 2.0: the vTPM itself needs none); the vTPM encrypts the
// VM home (.vmx, .nvram) and not the disks; the VM is then brought back from its folder as a restore from backup ends,
// which works only because the folder keeps its .nvram and the key provider is there. Proof: the guest file reads back.
import type { KeyProviderView, LabView } from '@/machines/lab-types';
import { EVENT_ID, findHost, findVm, firstOf, hostName, lastEventId, misconception, notYet, vmRuns } from './checks';
import { catalogued, cmd } from './lesson-parts';
import type { CheckResult, Lesson, LessonAction } from './lesson-types';
import { esxHost, lessonScenario, lessonVm } from './scenario-parts';

const VM = 'win11-01';
export const NKP = 'NKP-1';
export const NKP_PASSWORD = 'Basalt-Tulip-Harbor-Quartz-11';
/** vSphere's event for a VM registered in the inventory (read by the restore step). */
const VM_REGISTERED = 'VmRegisteredEvent';

function scenario() {
  return lessonScenario({
    title: 'Lesson 12: a vTPM for Windows 11',
    description: 'A new Windows 11 VM, powered off, on a host without TPM 2.0; no key provider in vCenter yet.',
    hosts: [esxHost('esx-01', true), esxHost('esx-02', false)],
    datastoreMiB: 128,
    vms: [lessonVm(VM, 'esx-02', { power: 'off', diskMiB: 2, files: { 'thesis.txt': 'Chapter 1: why Windows 11 wants a TPM 2.0\n' } })],
  });
}

/** The provider a vTPM would take its key from: vCenter's default. */
function defaultProvider(view: LabView): KeyProviderView | undefined {
  const vc = view.vcenter;
  return vc?.keyProviders.find((p) => p.id === vc.defaultProviderId);
}

/** The learner tried Add vTPM and vCenter refused (a failed vm.addVtpm task naming the VM). */
function addVtpmRefused(view: LabView): boolean {
  return view.events.some((e) => e.eventTypeId === EVENT_ID.taskFailed && e.message.startsWith('vm.addVtpm failed: ') && e.message.includes(VM));
}

function triedWithoutProvider(view: LabView): CheckResult {
  const vm = findVm(view, VM);
  if (addVtpmRefused(view) || vm?.vtpm || (view.vcenter?.keyProviders.length ?? 0) > 0) return { status: 'done' };
  return notYet(`Open ${VM} and choose Add vTPM.`);
}

function providerReady(view: LabView): CheckResult {
  const p = defaultProvider(view);
  const vm = findVm(view, VM);
  if (!p) {
    return view.vcenter?.keyProviders.length
      ? notYet('Set a key provider as the default (Set as default on its card): a vTPM takes its key from the default provider.')
      : notYet(`Add a Native Key Provider (Key Providers > Add Native Key Provider…), e.g. ${NKP}.`);
  }
  if (p.kind === 'native' && !p.backedUp) return notYet(`Back up ${p.name} (Back up ${p.name}…): until then vCenter cannot use it.`);
  const host = vm?.hostId ? findHost(view, vm.hostId) : undefined;
  if (p.kind === 'native' && p.tpmOnly && host && !host.hasTpm) {
    return misconception(
      'tpm-only-host-without-tpm',
      `${p.name} is used only with TPM-protected hosts, and ${VM} is on ${host.name}, which has no TPM 2.0: that host never gets ${p.name}’s KDK, and Add vTPM fails with “TPM2 Device is Required”. ` +
        `The vTPM itself needs no physical TPM (VMware: a vTPM does not use the host’s TPM at all). Either migrate ${VM} to ${hostName(view, 'esx-01')}, which has one, or, since no VM uses ${p.name} yet, remove it and add it again without “Use key provider only with TPM protected ESXi hosts”, as VMware advises for a cluster with hosts without TPMs. ` +
        `(With VMs on it, you would restore it from its .p12 instead, to keep its KDK.)`,
    );
  }
  return { status: 'done' };
}

/** The event id of the vTPM's addition (0 before it). */
const vtpmAddedAt = (view: LabView) => lastEventId(view, (e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'AddVtpm' && e.objectId === VM);

function vtpmAdded(view: LabView): CheckResult {
  return firstOf(
    () => providerReady(view),
    () => {
      const vm = findVm(view, VM);
      if (!vm) return notYet();
      if (vm.encryption) {
        return misconception(
          'encrypt-whole-vm',
          `${VM}’s disks are encrypted too. A vTPM needs only the VM home encrypted (.vmx and .nvram); VMware’s vTPM advice is not to tick “Encrypt this virtual machine” for it. Encrypting the disks is a separate choice (VM encryption beyond the vTPM may need another licence). ` +
            `Choose Decrypt on ${VM}’s page: the disks are decrypted and the VM home stays encrypted${vm.vtpm ? ', as its vTPM needs' : ''}.`,
        );
      }
      if (vm.vtpm) return null;
      if (vtpmAddedAt(view) > 0) {
        return misconception(
          'vtpm-removed',
          `Removing the vTPM deleted ${VM}.nvram and every secret in it: Windows would find a new, empty TPM, and what it sealed there (BitLocker, Windows Hello) stops working without its recovery keys. ` +
            `Choose Add vTPM again to go on; in production only a backup that kept the .nvram brings the old vTPM back.`,
        );
      }
      return vm.power === 'on' ? notYet(`Power off ${VM}: a vTPM, like a physical TPM, is added only while the machine is off.`) : notYet(`Choose Add vTPM on ${VM}’s page.`);
    },
  );
}

function restoredFromFolder(view: LabView): CheckResult {
  return firstOf(
    () => vtpmAdded(view),
    () => {
      const vm = findVm(view, VM)!;
      const registeredAt = lastEventId(view, (e) => e.eventTypeId === VM_REGISTERED && e.objectId === VM);
      if (registeredAt < vtpmAddedAt(view)) {
        return vm.registered
          ? notYet(`Power off ${VM} if it runs, then choose Unregister… on its page.`)
          : notYet(`Register ${VM} again: the datastore browser, folder ${vm.folder}, Register VM.`);
      }
      if (vm.locked) return notYet(`${VM} is locked: ${vm.locked.message}`);
      return vmRuns(view, VM) ? null : notYet(`Power on ${VM}: its host opens the .nvram with the VM home key.`);
    },
  );
}

export const lesson: Lesson = {
  ...catalogued('vtpm-windows-11'),
  scenario,
  prelude: [],
  startPage: `#/vm/${VM}`,
  steps: [
    {
      id: 'try-without-provider',
      title: 'Try to add a vTPM with no key provider',
      instructions:
        'Windows 11 needs a TPM 2.0. win11-01 is powered off and vCenter has no key provider yet. Predict, then on win11-01’s page choose Add vTPM. (vSphere Client: Actions > Edit Settings > Add New Device > Trusted Platform Module.)',
      hints: ['Read the refusal: what does vSphere need before a vTPM can exist?'],
      why:
        'A vTPM keeps its secrets in the VM’s .nvram file, and vSphere protects that file with VM encryption: no key provider, no key, no vTPM.',
      check: triedWithoutProvider,
      showMe: () => [cmd({ type: 'vm.addVtpm', vmId: VM })],
      predict: {
        question: 'vCenter has no key provider. Can it add a vTPM to win11-01?',
        choices: [
          { id: 'added', label: 'Yes: a vTPM is just a virtual device' },
          { id: 'refused', label: 'No: it needs a key provider' },
        ],
        subjects: () => [{ id: VM, label: VM }],
        observe: (view) =>
          addVtpmRefused(view)
            ? { choice: 'refused', reason: 'vCenter refused it: a vTPM’s .nvram is encrypted, so it needs a key provider (the default one).' }
            : { choice: 'refused', reason: 'A vTPM needs a key provider: its .nvram is encrypted with a key from it.' },
      },
    },
    {
      id: 'add-provider',
      title: 'Set up a Native Key Provider that can serve win11-01',
      instructions:
        'In Key Providers (vSphere Client: vCenter > Configure > Security > Key Providers) choose Add Native Key Provider…, name it NKP-1, and decide on “Use key provider only with TPM protected ESXi hosts”: win11-01 runs on esx-02.lab.local, which has no TPM 2.0. Then Back up NKP-1… (the first provider added is the default).',
      hints: [
        'The Native Key Provider is included in every vSphere edition for vTPMs.',
        'With the TPM-only box ticked, esx-02 never gets the KDK. You can also migrate win11-01 to esx-01.lab.local (it has a TPM) instead of unticking.',
        `Any password you keep will do, e.g. ${NKP_PASSWORD}.`,
      ],
      why:
        'A vTPM uses VM encryption underneath, so any key provider serves, and the Native Key Provider needs no KMS. The host’s own TPM plays no part in the vTPM; it only protects the host’s copy of the KDK, which the TPM-only option demands.',
      check: providerReady,
      showMe: (view) => {
        const found = defaultProvider(view) ?? view.vcenter?.keyProviders[0];
        const host = findHost(view, findVm(view, VM)?.hostId ?? '');
        // A TPM-only NKP cannot serve win11-01's host; nothing uses it yet, so it is replaced by one without the option.
        const unusable = found?.kind === 'native' && found.tpmOnly && !!host && !host.hasTpm;
        const p = unusable ? undefined : found;
        const actions: LessonAction[] = unusable ? [cmd({ type: 'provider.remove', providerId: found.id })] : [];
        if (!p) actions.push(cmd({ type: 'provider.addNative', name: NKP, tpmOnly: false }));
        if (!p || (p.kind === 'native' && !p.backedUp)) actions.push({ kind: 'backupNkp', providerName: p?.name ?? NKP, password: NKP_PASSWORD });
        if (!p?.isDefault) actions.push(cmd({ type: 'provider.setDefault', providerId: p?.id ?? NKP }));
        return actions;
      },
    },
    {
      id: 'add-vtpm',
      title: 'Add the vTPM',
      instructions: 'Predict, then choose Add vTPM on win11-01’s page (it stays powered off). Then open the datastore browser and look in win11-01’s folder.',
      hints: [
        'Do not encrypt the VM for this: the vTPM encrypts what it needs by itself.',
        'In the datastore browser, win11-01.nvram shows only ciphertext, and win11-01.vmx names the key (encryption.keySafe).',
      ],
      why:
        'Adding a vTPM encrypts the VM home: the .vmx’s sensitive part and the .nvram, where the vTPM’s state lives (and the swap file, when it runs). The virtual disks stay as they were; encrypting them is a separate action.',
      evidence: 'datastore',
      check: vtpmAdded,
      showMe: (view) => {
        const vm = findVm(view, VM);
        return [
          ...(vm?.power === 'on' ? [cmd({ type: 'vm.powerOff', vmId: VM })] : []),
          ...(vm?.encryption ? [cmd({ type: 'vm.decrypt', vmId: VM })] : []),
          ...(vm?.vtpm ? [] : [cmd({ type: 'vm.addVtpm', vmId: VM })]),
        ];
      },
      predict: {
        question: 'Once win11-01 has its vTPM, which of its files are encrypted?',
        choices: [
          { id: 'encrypted', label: 'Encrypted' },
          { id: 'plain', label: 'Not encrypted' },
        ],
        subjects: () => [
          { id: 'nvram', label: `${VM}.nvram (the vTPM’s state)` },
          { id: 'disk', label: `${VM}-flat.vmdk (the Windows disk)` },
        ],
        observe: (view, subject) => {
          const vm = findVm(view, VM);
          if (subject === 'nvram') {
            return vm?.vtpm && vm.homeEncryption
              ? { choice: 'encrypted', reason: `Sealed with the VM home key ${vm.homeEncryption.keyId} of ${vm.homeEncryption.providerName}: the datastore holds only ciphertext.` }
              : { choice: 'plain', reason: `${VM} has no vTPM.` };
          }
          return vm?.encryption
            ? { choice: 'encrypted', reason: 'Its disks were encrypted as well, which the vTPM did not need.' }
            : { choice: 'plain', reason: 'A vTPM encrypts the VM home only; the disk’s sectors are stored as the guest wrote them.' };
        },
      },
    },
    {
      id: 'restore-from-folder',
      title: 'What a backup must keep: bring win11-01 back from its folder',
      instructions:
        'A restore from backup ends by putting the VM’s folder back and registering it. Predict, then on win11-01’s page choose Unregister…, open the datastore browser, pick folder win11-01 and choose Register VM, then Power on win11-01. (The lab has no backup product: its folder on the datastore plays the restored copy.)',
      hints: [
        'Unregister keeps every file on the datastore.',
        'A backup that copies only the disks loses win11-01.nvram: the restored VM would get a new, empty vTPM, and Windows features sealed to the old one (BitLocker, Windows Hello) stop working unless you have their recovery keys.',
      ],
      why:
        'The vTPM lives in the .nvram, encrypted with a key of NKP-1 named in the .vmx. A VM backup must include the VM home files, .nvram with them, and the key provider must be there to open them: keep NKP-1’s .p12 with the backups.',
      evidence: 'datastore',
      check: restoredFromFolder,
      showMe: (view) => {
        const vm = findVm(view, VM);
        return [
          ...(vm?.power === 'on' ? [cmd({ type: 'vm.powerOff', vmId: VM })] : []),
          ...(vm?.registered ? [cmd({ type: 'vm.unregister', vmId: VM })] : []),
          cmd({ type: 'vm.register', datastoreId: vm?.datastoreId ?? 'ds-shared-01', folder: vm?.folder ?? VM }),
          cmd({ type: 'vm.powerOn', vmId: VM }),
        ];
      },
      predict: {
        question: 'win11-01 leaves the inventory and is registered again from its folder. What does it come back with?',
        choices: [
          { id: 'back', label: 'Comes back' },
          { id: 'lost', label: 'Lost' },
        ],
        subjects: () => [
          { id: 'vtpm', label: 'Its vTPM and the secrets in it' },
          { id: 'home', label: 'Its VM home encryption' },
        ],
        observe: (view, subject) => {
          const vm = findVm(view, VM);
          if (subject === 'vtpm') {
            return vm?.vtpm
              ? { choice: 'back', reason: `The .vmx still says vtpm.present = "TRUE" and ${VM}.nvram is in the folder; its host opened it at power-on.` }
              : { choice: 'lost', reason: 'It has no vTPM any more.' };
          }
          return vm?.homeEncryption
            ? { choice: 'back', reason: `The .vmx names key ${vm.homeEncryption.keyId} of ${vm.homeEncryption.providerName}; vCenter has that provider, so it could open it.` }
            : { choice: 'lost', reason: 'Its VM home is not encrypted.' };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A vTPM needs a key provider (any; the Native Key Provider is in every edition) and no physical TPM on the host.',
    'The TPM-only option of an NKP keeps hosts without TPM 2.0 out: untick it for a mixed cluster, or run the VM on a TPM host.',
    'Adding a vTPM encrypts the VM home (.vmx, .nvram, swap), not the disks; do not encrypt the whole VM for it.',
    'The vTPM’s secrets live in the .nvram: a VM backup must include it, and the key provider’s backup (.p12) to open it.',
  ],
};
