// Lesson 4, doomsday B: vCenter is lost while the NKP-encrypted VMs are off, and the hosts cannot help (their TPMs
// were cleared, and esx-03 is gone for good). Deploy a new vCenter, restore the NKP from its .p12, add the hosts,
// register the VM whose host is gone from the datastore (vCenter derives its key from the restored KDK and the key ID
// in its files), unlock what is locked and power everything on. Proof: every guest file read back.
import type { LabView } from '@/machines/lab-types';
import { backupKdkId, findVm, firstOf, hostName, keyInDatabase, lastEventId, listNames, misconception, nativeProviders, notYet, powerOnRefused, vmRuns } from './checks';
import { catalogued, cmd, encryptWith, nkpReady, hostsReinstalledThenVcenterLost } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, lessonScenario, lessonVm } from './scenario-parts';

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

/** The prelude lost vCenter, so the baseline has no providers: the backup file on the key map names the KDK. */
const backupKeyId = (view: LabView, baseline: LessonBaseline) => baseline.providers[NKP]?.keyId ?? backupKdkId(view, NKP);
/** The NKP from the backup: the same KDK key ID as the one the VMs' keys were derived from. */
const restored = (view: LabView, baseline: LessonBaseline) => nativeProviders(view).find((p) => p.keyId === backupKeyId(view, baseline));
const deployedAt = (view: LabView) => lastEventId(view, (e) => e.eventTypeId === 'keylab.vcenter.Deployed');

/**
 * A VM powered on (tried) in the new vCenter before the NKP was restored: vCenter had no key for it and locked it.
 * Named while the VM is still locked and the backup's NKP is still missing.
 */
function poweredOnBeforeRestore(view: LabView, baseline: LessonBaseline): CheckResult | null {
  if (restored(view, baseline)) return null;
  const since = deployedAt(view);
  const tried = VMS.filter((id) => findVm(view, id)?.locked && powerOnRefused(view, id, since));
  if (tried.length === 0) return null;
  return misconception(
    'powered-on-before-restore',
    `You powered on ${listNames(tried)} in a vCenter that has no key for ${tried.length === 1 ? 'it' : 'them'}: the new vCenter’s key database is empty and ${NKP} is not configured, so vCenter locked ${tried.length === 1 ? 'it' : 'them'}. Restore ${NKP} from the .p12 first (Key Providers > Restore from backup…), then Unlock VM.`,
  );
}

/** A new NKP added instead of the backup's: a different KDK derives different KEKs. */
function newNkpInstead(view: LabView, baseline: LessonBaseline): CheckResult | null {
  if (restored(view, baseline)) return null;
  const sameName = nativeProviders(view).find((p) => p.name === NKP);
  if (sameName) {
    return misconception(
      'new-nkp-same-name',
      `This ${NKP} is a new Native Key Provider, not the backup: its KDK (key ID ${sameName.keyId}) is not the one the VMs’ keys were derived from (${backupKeyId(view, baseline)}). Remove it, then use Restore from backup… with the .p12.`,
    );
  }
  const other = nativeProviders(view)[0];
  if (other) {
    return misconception(
      'new-nkp-other-name',
      `${other.name} is a brand-new provider with its own KDK. The VMs’ files name ${NKP} and its key ID; only the KDK in the backup derives their keys. Restore ${NKP} from the .p12 (Restore from backup…).`,
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
    () => poweredOnBeforeRestore(view, baseline),
    () => newNkpInstead(view, baseline),
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
      const keyId = findVm(view, ORPHAN)?.encryption?.keyId;
      return keyId && keyInDatabase(view, keyId) ? null : notYet(`vCenter has no key for ${ORPHAN} yet.`);
    },
  );
}

function runningCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => registerCheck(view, baseline),
    () => {
      const locked = VMS.filter((id) => findVm(view, id)?.locked);
      if (locked.length) return notYet(`${listNames(locked)} ${locked.length === 1 ? 'is' : 'are'} locked from before ${NKP} was back: open ${locked.length === 1 ? 'it' : 'each'} and choose Unlock VM.`);
      const off = VMS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
  );
}

export const lesson: Lesson = {
  ...catalogued('doomsday-b'),
  scenario,
  prelude: [
    ...nkpReady(NKP, HANDOUT_PASSWORD, { handout: true }),
    ...VMS.flatMap((vmId) => encryptWith(vmId, NKP)),
    // The disaster: every TPM cleared, vCenter lost, the hosts restarted with nothing; esx-03 did not come back at all.
    ...hostsReinstalledThenVcenterLost([...HOSTS, GONE_HOST]),
    cmd({ type: 'host.powerOff', hostId: GONE_HOST }),
  ],
  handoutNote: `${NKP}’s backup (.p12), made last week when it was set up, with its password: ${HANDOUT_PASSWORD}. Download it now: the TPMs were cleared and vCenter is gone, so this file is the only copy of the KDK left.`,
  steps: [
    {
      id: 'deploy',
      title: 'Deploy a new vCenter',
      instructions: 'Open “vCenter Server (destroyed)” at the top of the inventory and click Deploy new vCenter. It starts empty: no hosts, no key providers, no key database.',
      hints: ['The old vCenter’s database is gone for good: there is nothing to start again.'],
      why: 'A powered-off VM’s KEK is in no host’s memory, the TPMs hold nothing, and vCenter’s database is lost: the only copies left are the KDK in the backup and each VM’s own files on the datastore.',
      evidence: 'recovery',
      check: deployCheck,
      showMe: () => [cmd({ type: 'vcenter.deploy' })],
    },
    {
      id: 'restore',
      title: 'Restore NKP-1 from its backup',
      instructions: 'Open Key Providers, click Restore from backup…, choose the .p12 you downloaded, type its password and click Restore.',
      hints: ['Do not use Add Native Key Provider…: a new provider makes a new KDK, whatever its name.', 'The restored provider keeps its name and its key ID.'],
      why: 'An NKP key is derived from the KDK and the key’s ID. Only the backup holds that KDK; restored under the same name and key ID, it lets the new vCenter derive every key the VMs’ files name.',
      evidence: 'keyMap',
      check: restoreCheck,
      showMe: () => [{ kind: 'restoreHandout' }],
    },
    {
      id: 'add-hosts',
      title: 'Add the surviving hosts',
      instructions: 'On vCenter Server, under Hosts, click “Add esx-01.lab.local to Cluster-01” and “Add esx-02.lab.local to Cluster-01”. esx-03 is gone: leave it off.',
      hints: ['Their VMs come into the inventory with them, powered off.', 'vCenter pushes the restored KDK to each host as it joins.'],
      why: 'The hosts know their own VMs, but with the TPMs cleared and the VMs off they hold no keys to report: vCenter must find each key itself.',
      check: hostsCheck,
      showMe: () => HOSTS.map((hostId) => cmd({ type: 'host.add', hostId })),
    },
    {
      id: 'register',
      title: 'Register archive-01 from the datastore',
      instructions:
        'archive-01 lived on esx-03, which is gone. Open Datastores > ds-shared-01, and under Register VM choose the folder archive-01/ and a host, then click Register VM. Look at its .vmx in the Files first.',
      hints: ['In the .vmx, encryption.keySafe names the provider (NKP-1) and the key ID.', 'The vCenter Server page’s Key database shows the key once the VM is registered.'],
      why: 'Registering reads the VM’s files: the key locator names NKP-1 and the key ID, vCenter derives the KEK from the restored KDK and that ID, checks it opens the VM’s encrypted configuration, and records the key in its new database.',
      evidence: 'datastore',
      check: registerCheck,
      showMe: () => [cmd({ type: 'vm.register', datastoreId: 'ds-shared-01', folder: ORPHAN, hostId: 'esx-01' })],
      predict: {
        question: 'When vCenter registers archive-01 from the datastore, where does it get archive-01’s key?',
        choices: [
          { id: 'files', label: 'From archive-01’s files (the key ID) and the restored KDK' },
          { id: 'host', label: 'From a host’s TPM' },
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
      title: 'Unlock and power on',
      instructions: 'Open each VM. If it shows Locked, click Unlock VM. Then Power on db-01, web-01 and archive-01.',
      hints: ['A VM locked before NKP-1 was restored stays locked until you unlock it: the lock records what was wrong then.'],
      why: 'Each host gets the KDK from vCenter and derives the VM’s KEK from the ID in its files, unwraps the DEK and starts the VM. The data was never at risk, as long as the backup and its password were kept.',
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
    'With the VMs off and no TPM to unseal from, no host holds a key: the backup .p12 and the VMs’ files are all that is left.',
    'Restore the NKP from its backup (same name, same key ID), never a new NKP: only the old KDK derives the old keys.',
    'Registering a VM from the datastore lets vCenter read the key ID from its files and put the key back in its database.',
    'A VM powered on before the NKP was back is locked: restore first, then Unlock VM.',
  ],
};
