// Lesson 4, doomsday B: vCenter is lost while the NKP-encrypted VMs are off, and the hosts cannot help (they were
// reinstalled and nobody kept their recovery keys, so their encrypted configurations and the KDK in them are gone;
// esx-03 is gone for good). Deploy a new vCenter, restore the NKP from its .p12, add the hosts, register the VM whose
// host is gone from the datastore (vCenter derives its key from the restored KDK and the key ID in its files), and power
// everything on; a learner who added hosts before the restore meets the lock and both fixes (Unlock VM, Enable host
// encryption mode). Proof: every guest file read back.
import type { LabView } from '@/machines/lab-types';
import { findVm, firstOf, hostName, keyInDatabase, lastEventId, lastVmLock, listNames, misconception, nativeProviders, notYet, startingBackupKdkId, vmRuns } from './checks';
import { catalogued, cmd, encryptWith, nkpReady, hostsReinstalledThenVcenterLost } from './lesson-parts';
import type { CheckResult, Lesson, LessonAction, LessonBaseline } from './lesson-types';
import { CUSTOMERS_CSV, DATASTORE, esxHost, lessonScenario, lessonVm } from './scenario-parts';

export const NKP = 'NKP-1';
export const HANDOUT_PASSWORD = 'Quartz-Meadow-Lantern-42';
const HOSTS = ['esx-01', 'esx-02'];
/** The host that died in the disaster: its VM comes back only from the datastore. */
const GONE_HOST = 'esx-03';
const ORPHAN = 'archive-01';
const VMS = ['db-01', 'web-01', ORPHAN];

function scenario() {
  const vm = (id: string, hostId: string, file: string, text: string) => lessonVm(id, hostId, { power: 'on', diskMiB: 2, files: { [file]: text } });
  return lessonScenario({
    title: 'Doomsday B',
    description: 'Three VMs encrypted with the Native Key Provider NKP-1, all powered off; vCenter is about to be lost.',
    hosts: [esxHost('esx-01', true), esxHost('esx-02', true), esxHost(GONE_HOST, true)],
    datastoreMiB: 256,
    vms: [
      vm('db-01', 'esx-01', 'customers.csv', CUSTOMERS_CSV),
      vm('web-01', 'esx-02', 'index.html', '<h1>Lab shop: back after the outage</h1>\n'),
      vm(ORPHAN, GONE_HOST, 'ledger-2023.txt', 'FY2023 closing balance: 1,204,331.07\n'),
    ],
  });
}

/** The KDK key ID of the backup handed out (the prelude lost vCenter, so the baseline has no providers). */
const backupKeyId = (view: LabView, baseline: LessonBaseline) => startingBackupKdkId(view, baseline, NKP);
/** The NKP from the backup: the same KDK key ID as the one the VMs' keys were derived from. */
const restored = (view: LabView, baseline: LessonBaseline) => nativeProviders(view).find((p) => p.keyId === backupKeyId(view, baseline));
const deployedAt = (view: LabView) => lastEventId(view, (e) => e.eventTypeId === 'keylab.vcenter.Deployed');

/** Both fixes vSphere documents for a VM locked while its provider was missing, once the provider is back. */
const UNLOCK_FIXES = 'open each locked VM and choose Unlock VM, or choose Enable host encryption mode on its host, which unlocks every VM there';

/**
 * VMs that came into the new vCenter (their host added, or registered) before the backup's NKP was there: vCenter
 * could not serve their keys and locked them at once, before any power-on. Named while the NKP is still missing.
 */
function joinedBeforeRestore(view: LabView, baseline: LessonBaseline): CheckResult | null {
  if (restored(view, baseline)) return null;
  const since = deployedAt(view);
  const locked = VMS.filter((id) => findVm(view, id)?.locked && lastVmLock(view, id) > since);
  if (locked.length === 0) return null;
  const it = locked.length === 1 ? 'it' : 'them';
  return misconception(
    'joined-before-restore',
    `${listNames(locked)} came into this vCenter locked: ${locked.length === 1 ? 'its host was' : 'their hosts were'} added (or ${it} registered) before ${NKP} was restored. ` +
      `A vCenter that does not have a VM’s key provider locks a powered-off VM as soon as it joins (a running one keeps running on its host’s keys until it stops). Nothing is lost: restore ${NKP} from the .p12 (Key Providers > Add > Restore from backup), then ${UNLOCK_FIXES}.`,
  );
}

/** A new NKP added instead of the backup's: a different KDK derives different KEKs. */
function newNkpInstead(view: LabView, baseline: LessonBaseline): CheckResult | null {
  if (restored(view, baseline)) return null;
  const sameName = nativeProviders(view).find((p) => p.name === NKP);
  if (sameName) {
    return misconception(
      'new-nkp-same-name',
      `This ${NKP} is a new Native Key Provider, not the backup: its KDK (key ID ${sameName.keyId}) is not the one the VMs’ keys were derived from (${backupKeyId(view, baseline)}), and backing it up does not change that. Remove it, then use Add > Restore from backup with the .p12 you were given.`,
    );
  }
  const other = nativeProviders(view)[0];
  if (other) {
    return misconception(
      'new-nkp-other-name',
      `${other.name} is a brand-new provider with its own KDK. The VMs’ files name ${NKP} and its key ID; only the KDK in the backup derives their keys. Restore ${NKP} from the .p12 (Key Providers > Add > Restore from backup).`,
    );
  }
  return null;
}

function deployCheck(view: LabView): CheckResult {
  return view.vcenter && view.vcenter.generation >= 2 ? { status: 'done' } : notYet('There is no new vCenter yet (vCenter Server > Deploy new vCenter).');
}

function restoreCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => deployCheck(view),
    () => newNkpInstead(view, baseline),
    () => joinedBeforeRestore(view, baseline),
    () => (restored(view, baseline) ? null : notYet(`${NKP} is not in the new vCenter yet.`)),
  );
}

function hostsCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => restoreCheck(view, baseline),
    () => {
      const missing = HOSTS.filter((h) => view.hosts.find((x) => x.id === h)?.connection !== 'connected');
      return missing.length ? notYet(`Add ${listNames(missing.map((h) => hostName(view, h)))} to the new vCenter.`) : null;
    },
  );
}

function registerCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => hostsCheck(view, baseline),
    () => {
      const out = VMS.filter((id) => !findVm(view, id)?.registered);
      return out.length ? notYet(`${listNames(out)} ${out.length === 1 ? 'is' : 'are'} not in the inventory: register from the datastore (Datastores > ds-shared-01 > Register VM).`) : null;
    },
    () => {
      const vm = findVm(view, ORPHAN);
      if (vm?.locked) {
        return notYet(
          `${ORPHAN} was registered before ${NKP} was restored, so vCenter locked it and recorded no key. Unlock it now (vCenter derives its key from the restored KDK and the key ID in its files, and records it), or remove it from the inventory and register it again.`,
        );
      }
      const keyId = vm?.encryption?.keyId;
      return keyId && keyInDatabase(view, keyId)
        ? null
        : notYet(`vCenter has no record of ${ORPHAN}’s key (its provider was removed since): remove ${ORPHAN} from the inventory and register it again, or power it on.`);
    },
  );
}

function runningCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => registerCheck(view, baseline),
    () => {
      const locked = VMS.filter((id) => findVm(view, id)?.locked);
      if (locked.length) return notYet(`${listNames(locked)} ${locked.length === 1 ? 'is' : 'are'} locked from before ${NKP} was back: ${UNLOCK_FIXES}.`);
      const off = VMS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
  );
}

/** "Show me" for the register step, from wherever the learner is: register it, or unlock what was registered too early. */
function showRegister(view: LabView): LessonAction[] {
  const vm = findVm(view, ORPHAN);
  if (!vm?.registered) return [cmd({ type: 'vm.register', datastoreId: DATASTORE, folder: ORPHAN, hostId: 'esx-01' })];
  if (vm.locked) return [cmd({ type: 'vm.unlock', vmId: ORPHAN })];
  // Registered and unlocked, but vCenter lost its record (the provider was removed and restored): register it again.
  return [cmd({ type: 'vm.unregister', vmId: ORPHAN }), cmd({ type: 'vm.register', datastoreId: DATASTORE, folder: ORPHAN, hostId: vm.hostId ?? 'esx-01' })];
}

export const lesson: Lesson = {
  ...catalogued('doomsday-b'),
  scenario,
  prelude: [
    ...nkpReady(NKP, HANDOUT_PASSWORD, { handout: true }),
    ...VMS.flatMap((vmId) => encryptWith(vmId, NKP)),
    // The disaster: the hosts were reinstalled (no recovery keys kept, so their encrypted configurations and the KDK in
    // them are gone), vCenter was lost with no file-based backup kept, and esx-03 did not come back at all.
    ...hostsReinstalledThenVcenterLost([...HOSTS, GONE_HOST]),
    cmd({ type: 'host.powerOff', hostId: GONE_HOST }),
  ],
  handoutNote:
    `${NKP}’s backup (.p12), made last week when it was set up, with its password: ${HANDOUT_PASSWORD}. Download it now. ` +
    'The KDK was also in vCenter, in vCenter’s file-based backup and in every host’s encrypted configuration; but vCenter is gone with no file-based backup kept, and the hosts were reinstalled without their recovery keys, so this file is the only copy left.',
  steps: [
    {
      id: 'deploy',
      title: 'Deploy a new vCenter',
      instructions: 'Open “vCenter Server (destroyed)” at the top of the inventory and click Deploy new vCenter. It starts empty: no hosts, no key providers, no key database.',
      hints: ['The old vCenter’s database is gone for good: there is nothing to start again.'],
      why:
        'A powered-off VM’s KEK is in no host’s memory, the reinstalled hosts’ configurations hold no KDK, and vCenter’s database is lost: what is left is the KDK in the .p12 and each VM’s own files on the datastore (the key ID, and the DEK wrapped by a KEK only that KDK derives).',
      evidence: 'recovery',
      check: deployCheck,
      showMe: () => [cmd({ type: 'vcenter.deploy' })],
    },
    {
      id: 'restore',
      title: 'Restore NKP-1 from its backup',
      instructions:
        'Open Key Providers (in the vSphere Client: vCenter Server > Configure > Security > Key Providers), choose Add > Restore from backup (the lab’s button: Restore from backup…), choose the .p12 you downloaded, type its password and click Restore. Do this before you add any host.',
      hints: [
        'Do not use Add Native Key Provider…: a new provider makes a new KDK, whatever its name, and backing it up does not make it the old one.',
        'The restored provider keeps its name and its key ID.',
        'Hosts added before the restore bring their VMs in locked: vCenter locks a VM whose key provider it does not have.',
      ],
      why: 'An NKP key is derived from the KDK and the key’s ID. Of all the KDK’s copies only the backup is left; restored under the same name and key ID, it lets the new vCenter derive every key the VMs’ files name.',
      evidence: 'keyMap',
      check: restoreCheck,
      showMe: () => [{ kind: 'restoreHandout' }],
    },
    {
      id: 'add-hosts',
      title: 'Add the surviving hosts',
      instructions: 'On vCenter Server, under Hosts, click “Add esx-01.lab.local to Cluster-01” and “Add esx-02.lab.local to Cluster-01”. esx-03 is gone: leave it off.',
      hints: [
        'VMs still registered on a host come into the inventory with it, powered off; any that are not, you register from the datastore.',
        'vCenter pushes the restored KDK to each host as it joins (a real Add Host asks for the host’s root credentials; the lab skips them).',
      ],
      why: 'With the VMs off and the hosts reinstalled, the hosts hold no keys to report: vCenter must find each key itself, from the VMs’ files.',
      check: hostsCheck,
      showMe: () => HOSTS.map((hostId) => cmd({ type: 'host.add', hostId })),
    },
    {
      id: 'register',
      title: 'Register archive-01 from the datastore',
      instructions:
        'archive-01 lived on esx-03, which is gone. Open Datastores > ds-shared-01, and under Register VM choose the folder archive-01/ and a host, then click Register VM. Look at its .vmx in the Files first.',
      hints: ['In the .vmx, encryption.keySafe names the provider (NKP-1) and the key ID.', 'The vCenter Server page’s Key database shows the key once the VM is registered.'],
      why: 'Registering reads the VM’s files: the key locator names NKP-1 and the key ID, vCenter derives the KEK from the restored KDK and that ID, checks it opens the VM’s encrypted configuration, and records the key in its new database (how vCenter keeps these records is the lab’s model).',
      evidence: 'datastore',
      check: registerCheck,
      showMe: showRegister,
      predict: {
        question: 'When vCenter registers archive-01 from the datastore, where does it get archive-01’s key?',
        choices: [
          { id: 'files', label: 'From archive-01’s files (the key ID) and the restored KDK' },
          { id: 'host', label: 'From a host that still holds it' },
          { id: 'nowhere', label: 'Nowhere: archive-01 stays locked' },
        ],
        subjects: () => [{ id: ORPHAN, label: ORPHAN }],
        observe: (view) => {
          const vm = findVm(view, ORPHAN);
          return vm?.registered && !vm.locked && keyInDatabase(view, vm.encryption?.keyId ?? '')
            ? { choice: 'files', reason: `vCenter read key ${vm.encryption!.keyId} of ${NKP} from the .vmx and derived the KEK from the restored KDK; no host held anything.` }
            : { choice: 'nowhere', reason: vm?.locked?.message ?? `${ORPHAN} has no key in vCenter.` };
        },
      },
    },
    {
      id: 'power-on',
      title: 'Power everything on',
      instructions:
        'Power on db-01, web-01 and archive-01. Restored before the hosts joined, none of them is locked; a VM that shows Locked (it came in before NKP-1 was back) needs Unlock VM first, or Enable host encryption mode on its host.',
      hints: [
        'A VM locked before NKP-1 was restored stays locked until you unlock it, even once its key is available.',
        'Enable host encryption mode on a host unlocks every VM on it whose key vCenter can serve: VMware’s fix for VMs locked after a host moved to a vCenter without their provider.',
      ],
      why: 'Each host got the KDK from vCenter; it derives the VM’s KEK from the key ID in its files, unwraps the DEK and starts the VM. The data was never at risk, as long as the backup and its password were kept.',
      evidence: 'keyMap',
      check: runningCheck,
      showMe: (view) => [
        ...VMS.filter((id) => findVm(view, id)?.locked).map((vmId) => cmd({ type: 'vm.unlock', vmId })),
        ...VMS.filter((id) => !vmRuns(view, id)).map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
      ],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'Hosts keep the KDK in their encrypted configuration across reboots; reinstalled without their recovery keys they hold nothing, and with vCenter and its file-based backup gone the .p12 is the last copy.',
    'Restore the NKP from its backup (same name, same key ID), never a new NKP: only the old KDK derives the old keys.',
    'Registering a VM from the datastore lets vCenter read the key ID from its files and put the key back in its database.',
    'Restore before you add hosts: a VM that joins a vCenter without its provider is locked at once. Once the provider is back, Unlock VM, or Enable host encryption mode on its host.',
  ],
};
