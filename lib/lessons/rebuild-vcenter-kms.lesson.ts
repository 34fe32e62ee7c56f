// Lesson 10: rebuild a vCenter that used a standard key provider. vCenter is lost, the KMS cluster survives. Deploy a
// new vCenter, add the KMS cluster back under the same name (the name the VMs' files record with their key IDs), add
// the hosts, unlock the VM that locked, then prove the chain: a host rebooted, its VM's KEK fetched from the KMS again by
// its ID. Proof: every guest file read back.
import type { LabView } from '@/machines/lab-types';
import { cryptoOps, done, findProvider, findVm, firstOf, hostName, lastEventId, lastHostStart, listNames, misconception, notYet, vmName, vmRuns, EVENT_ID } from './checks';
import { catalogued, cmd } from './lesson-parts';
import type { CheckResult, Lesson } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Cluster';
const KMS_NODES = ['kms-a', 'kms-b'];
const HOSTS = ['esx-01', 'esx-02'];
const VMS = ['db-01', 'web-01', 'archive-01'];
const REBOOT_HOST = 'esx-01';
const REBOOT_VM = 'db-01';

function scenario() {
  return lessonScenario({
    title: 'Lesson 10: rebuild vCenter with a standard key provider',
    description: 'Three VMs encrypted with keys from the KMS cluster KMS-Cluster (kms-a, kms-b); two run, one is off.',
    kms: kmsCluster(KMS),
    hosts: HOSTS.map((id) => esxHost(id, true)),
    datastoreMiB: 128,
    vms: [
      lessonVm('db-01', 'esx-01', { power: 'on', diskMiB: 2, encryptWith: KMS, files: { 'customers.csv': CUSTOMERS_CSV } }),
      lessonVm('web-01', 'esx-02', { power: 'on', diskMiB: 2, encryptWith: KMS, files: { 'index.html': '<h1>Lab shop: open while vCenter is rebuilt</h1>\n' } }),
      lessonVm('archive-01', 'esx-02', { power: 'off', diskMiB: 2, encryptWith: KMS, files: { 'ledger-2023.txt': 'FY2023 closing balance: 1,204,331.07\n' } }),
    ],
  });
}

/**
 * The provider is not there under its name: another standard provider in its place (a new name means a new KMS
 * cluster id, which no VM's files name), or a Native Key Provider (which has none of the KMS's keys). Checked from the
 * provider step on.
 */
function wrongProvider(view: LabView): CheckResult | null {
  if (!view.vcenter || findProvider(view, KMS)) return null;
  const other = view.vcenter.keyProviders[0];
  if (!other) return null;
  if (other.kind === 'standard') {
    return misconception(
      'other-provider-name',
      `${other.name} points at the right KMS nodes under the wrong name. Each VM’s files record the key provider (the KMS cluster id) with the key ID, so vCenter looks for ${KMS} and finds nothing: those VMs lock when they next need their key. ` +
        `A provider cannot be renamed: Remove ${other.name}…, then Add Standard Key Provider… named ${KMS} with kms-a and kms-b.`,
    );
  }
  return misconception(
    'nkp-for-kms-keys',
    `${other.name} is a Native Key Provider: a new KDK that derives none of the KMS’s keys. The VMs’ KEKs are still on kms-a and kms-b, under ${KMS}. Add Standard Key Provider… named ${KMS} with both nodes.`,
  );
}

function deployed(view: LabView): CheckResult {
  return view.vcenter && view.vcenter.generation >= 2 ? done() : notYet('There is no new vCenter yet: choose Deploy new vCenter on the vCenter Server page.');
}

function providerBack(view: LabView): CheckResult {
  return firstOf(
    () => deployed(view),
    () => wrongProvider(view),
    () => {
      const p = findProvider(view, KMS);
      if (!p) return notYet(`Add Standard Key Provider… named ${KMS}.`);
      if (p.kind !== 'standard') return notYet(`${KMS} must be a standard key provider over kms-a and kms-b.`);
      const missing = KMS_NODES.filter((n) => !p.kmsNodeIds.includes(n));
      return missing.length ? notYet(`${KMS} lacks ${listNames(missing)}: a provider lists every node of the KMS cluster. Remove it and add it again with both.`) : null;
    },
  );
}

function hostsBack(view: LabView): CheckResult {
  return firstOf(
    () => providerBack(view),
    () => {
      const missing = HOSTS.filter((h) => view.hosts.find((x) => x.id === h)?.connection !== 'connected');
      return missing.length ? notYet(`Not in vCenter yet: ${listNames(missing.map((h) => hostName(view, h)))}.`) : null;
    },
    () => {
      const locked = VMS.filter((id) => findVm(view, id)?.locked);
      return locked.length
        ? notYet(`${listNames(locked)} ${locked.length === 1 ? 'was' : 'were'} locked when ${locked.length === 1 ? 'its host' : 'their hosts'} joined a vCenter without ${KMS}: now that it is back, open ${locked.length === 1 ? 'it' : 'each'} and choose Unlock VM.`)
        : null;
    },
  );
}

/** The event id at which KMS-Cluster was last added to vCenter (0 if never). */
const providerAddedAt = (view: LabView) => lastEventId(view, (e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'AddKeyProvider' && e.objectId === KMS);

function proved(view: LabView): CheckResult {
  return firstOf(
    () => hostsBack(view),
    () => (lastHostStart(view, REBOOT_HOST) > providerAddedAt(view) ? null : notYet(`Reboot ${hostName(view, REBOOT_HOST)} (its page > Reboot).`)),
    () => {
      const off = VMS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
    () => {
      const keyId = findVm(view, REBOOT_VM)?.encryption?.keyId;
      const fetched = cryptoOps(view, 'PushKey', (e) => e.keyId === keyId && e.objectId === REBOOT_HOST && e.id > lastHostStart(view, REBOOT_HOST));
      return fetched.length ? null : notYet(`vCenter has not fetched ${REBOOT_VM}’s key for ${hostName(view, REBOOT_HOST)} since its reboot: power ${REBOOT_VM} on there.`);
    },
  );
}

export const lesson: Lesson = {
  ...catalogued('rebuild-vcenter-kms'),
  scenario,
  prelude: [cmd({ type: 'vcenter.destroy' })],
  startPage: '#/vcenter',
  steps: [
    {
      id: 'deploy',
      title: 'Deploy a new vCenter',
      instructions:
        'vcsa-01 is gone with its database; kms-a and kms-b still run and hold every KEK. db-01 and web-01 keep running on their hosts. Open vCenter Server and choose Deploy new vCenter.',
      hints: ['In real life you would restore vCenter’s file-based backup, which keeps its key providers; this lesson is the case where there is none.'],
      why:
        'The hosts run the VMs, not vCenter: each host keeps the KEKs of its VMs in its key cache. A standard provider’s keys live on the KMS; vCenter only ever kept their IDs.',
      check: deployed,
      showMe: () => [cmd({ type: 'vcenter.deploy' })],
    },
    {
      id: 'add-kms-cluster',
      title: 'Add the KMS cluster back under the same name',
      instructions:
        'In Key Providers choose Add Standard Key Provider…, name it KMS-Cluster (exactly as before) and tick kms-a and kms-b. (vSphere Client: vCenter > Configure > Security > Key Providers > Add > Add Standard Key Provider, then for each KMS Establish Trust > Make KMS trust vCenter, exchanging certificates with the KMS administrator. The lab establishes trust as it adds the provider: a shortcut.)',
      hints: [
        'The name matters: it is the KMS cluster id that each VM’s .vmx records beside its key ID (encryption.keySafe).',
        'Look at a VM’s .vmx in the datastore browser: the provider name is in its key locator.',
        'Add both nodes: vCenter uses the nodes of a provider in turn and tries the next when one does not answer.',
      ],
      why:
        'The KEKs never left the KMS. vCenter finds a VM’s KEK by the provider name and key ID in its files, so the same name over the same KMS cluster is all it takes; VMware’s advice after deleting a provider by mistake is the same: re-add it with the same name.',
      evidence: 'datastore',
      check: providerBack,
      showMe: (view) => {
        const wrong = (view.vcenter?.keyProviders ?? []).filter((p) => p.name !== KMS).map((p) => cmd({ type: 'provider.remove', providerId: p.id }));
        return [...wrong, ...(findProvider(view, KMS) ? [] : [cmd({ type: 'provider.addStandard', name: KMS, kmsNodeIds: KMS_NODES })])];
      },
    },
    {
      id: 'add-hosts',
      title: 'Add the hosts back',
      instructions:
        'Predict, then open vCenter Server and, under Hosts, choose Add esx-01.lab.local to Cluster-01 and Add esx-02.lab.local to Cluster-01. If a VM shows as locked, open it and choose Unlock VM. (A real Add Host asks for the host’s root credentials.)',
      hints: [
        'Running VMs come back into the inventory with their hosts.',
        'archive-01 is off: vCenter checks its key provider when its host joins.',
      ],
      why:
        'A host joining vCenter brings its VMs. vCenter checks each encrypted VM’s provider: with KMS-Cluster configured it can fetch any KEK by ID when a host needs it. Had the hosts come first, the powered-off VM would be locked until the provider was back, then unlocked.',
      check: hostsBack,
      showMe: (view) => [
        ...HOSTS.filter((h) => view.hosts.find((x) => x.id === h)?.connection !== 'connected').map((hostId) => cmd({ type: 'host.add', hostId })),
        ...VMS.filter((id) => findVm(view, id)?.locked).map((vmId) => cmd({ type: 'vm.unlock', vmId })),
      ],
      predict: {
        question: 'The hosts are about to join the new vCenter, which has KMS-Cluster again. What about each VM?',
        choices: [
          { id: 'runs', label: 'Keeps running' },
          { id: 'canStart', label: 'Off, and can be powered on' },
          { id: 'locked', label: 'Locked' },
        ],
        subjects: (view) => VMS.map((id) => ({ id, label: `${vmName(view, id)} (${findVm(view, id)?.power === 'on' ? 'running' : 'off'})` })),
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          if (vm?.locked) return { choice: 'locked', reason: vm.locked.message };
          if (vm?.power === 'on') return { choice: 'runs', reason: `${vm.name}: its host held its KEK in memory all along.` };
          return { choice: 'canStart', reason: `${vm?.name ?? vmId}: vCenter found ${KMS}, the provider its files name, so nothing locked it.` };
        },
      },
    },
    {
      id: 'prove',
      title: 'Prove it: a KEK fetched from the KMS again',
      instructions:
        'Power on archive-01. Then predict, reboot esx-01.lab.local (its page > Reboot) and power db-01 on again. In the Events, find vCenter fetching db-01’s key from KMS-Cluster.',
      hints: [
        'A reboot clears esx-01’s key cache: db-01 stops with it.',
        'Filter the Events on db-01’s KEK key ID (on its page): the PushKey after the reboot is vCenter fetching it from the KMS and giving it to the host.',
      ],
      why:
        'A standard provider’s KEK lives on the KMS; a host keeps it only in memory. After a reboot vCenter asks the KMS for it by the key ID in the VM’s files, through the provider of that name. That is the chain the rebuild restored.',
      evidence: 'events',
      check: proved,
      showMe: (view) => [
        ...VMS.filter((id) => id !== REBOOT_VM && !vmRuns(view, id)).map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
        cmd({ type: 'host.reboot', hostId: REBOOT_HOST }),
        cmd({ type: 'vm.powerOn', vmId: REBOOT_VM }),
      ],
      predict: {
        question: 'esx-01 reboots and its key cache is cleared. Afterwards, can db-01 power on?',
        choices: [
          { id: 'starts', label: 'Powers on: vCenter fetches its KEK again' },
          { id: 'locked', label: 'Locked: its KEK is gone' },
        ],
        subjects: (view) => [{ id: REBOOT_VM, label: vmName(view, REBOOT_VM) }],
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          return vm && vmRuns(view, vmId)
            ? { choice: 'starts', reason: `vCenter asked ${KMS} for key ${vm.encryption?.keyId ?? ''} by the ID in ${vm.name}’s files and pushed it to ${hostName(view, vm.hostId ?? '')}.` }
            : { choice: 'locked', reason: vm?.locked?.message ?? 'It did not power on.' };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'With a standard provider the KEKs live on the KMS; vCenter keeps only key IDs, and the hosts keep the KEKs in memory until they reboot.',
    'Each VM’s files name its provider (the KMS cluster id) and key ID: re-add the KMS cluster under the same name, with all its nodes, and re-establish trust.',
    'A different name finds nothing: a provider cannot be renamed, so remove it and add the right one.',
    'A VM locked while its provider was missing is unlocked once the provider is back; vCenter’s file-based backup would have kept the provider configuration in the first place.',
  ],
};
