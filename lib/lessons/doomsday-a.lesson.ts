// Lesson 3, doomsday A: vCenter is lost while the NKP-encrypted VMs run. Deploy a new vCenter, restore the Native Key
// Provider from last week's .p12 (same name, same KDK), add the hosts back and watch the key database refill from the
// hosts' memory; then prove it holds: a host reboot, its VM powered on again, every guest file read back.
import type { LabView } from '@/machines/lab-types';
import { done, EVENT_ID, hostName, lastEventId, misconception, nativeProviders, notYet } from './checks';
import { catalogued, cmd, nkpReady } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, lessonScenario, lessonVm } from './scenario-parts';

export const NKP = 'NKP-Prod';
export const HANDOUT_PASSWORD = 'Granite-Harbor-Violet-Tundra-17';
const ENCRYPTED = ['db-01', 'web-01'];
const REBOOT_HOST = 'esx-01';
const REBOOT_VM = 'db-01';

function scenario() {
  return lessonScenario({
    title: 'Lesson 3: doomsday A',
    description: 'Two VMs encrypted with the Native Key Provider NKP-Prod run on TPM hosts; a third, plain, on a host without a TPM.',
    hosts: [esxHost('esx-01', true), esxHost('esx-02', true), esxHost('esx-03', false)],
    datastoreMiB: 256,
    vms: [
      lessonVm('db-01', 'esx-01', {
        power: 'off',
        diskMiB: 2,
        files: {
          'customers.csv': CUSTOMERS_CSV,
          'orders.txt': Array.from({ length: 300 }, (_, i) => `order ${i}: ${(i * 37) % 1000}.00 € ✓`).join('\n'),
        },
      }),
      lessonVm('web-01', 'esx-02', { power: 'off', diskMiB: 2, files: { 'index.html': '<h1>Welcome to the lab shop — open all night</h1>\n' } }),
      lessonVm('app-01', 'esx-03', { power: 'on', diskMiB: 2, files: { 'notes.txt': 'Application server. Not encrypted: its host has no TPM.\n' } }),
    ],
  });
}

const baselineKeyId = (baseline: LessonBaseline) => baseline.providers[NKP]?.keyId ?? null;
/** The NKP from the backup: same KDK key ID as the one the VMs were encrypted with. */
const restoredNkp = (view: LabView, baseline: LessonBaseline) => nativeProviders(view).find((p) => p.keyId === baselineKeyId(baseline));

function loseCheck(view: LabView): CheckResult {
  if (view.vcenterStatus === 'destroyed' || (view.vcenter?.generation ?? 1) > 1) return done();
  if (view.vcenterStatus === 'stopped') {
    return misconception(
      'stopped-is-not-lost',
      'Stop vCenter only switches the appliance off: its database, key providers and key database are intact, and Start vCenter brings them all back. ' +
        'Doomsday is the database gone. Start vCenter, then use Destroy vCenter… on the vCenter Server page.',
    );
  }
  return notYet('vCenter is still running.');
}

function deployCheck(view: LabView): CheckResult {
  return view.vcenter && view.vcenter.generation >= 2 ? done() : notYet('There is no new vCenter yet.');
}

function restoreCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  if (!view.vcenter) return notYet('There is no vCenter to restore into.');
  if (restoredNkp(view, baseline)) return done();
  const sameName = nativeProviders(view).find((p) => p.name === NKP);
  if (sameName) {
    return misconception(
      'new-nkp-same-name',
      `You added a new Native Key Provider called ${NKP}; it is not the backup. A new NKP gets a new KDK (key ID ${sameName.keyId}, not ${baselineKeyId(baseline)}), ` +
        `so it derives different KEKs: the keys the hosts hold and the VMs’ files name the old one. Remove this ${NKP} and use Add > Restore from backup with last week’s .p12.`,
    );
  }
  const other = nativeProviders(view)[0];
  if (other) {
    return misconception(
      'new-nkp-other-name',
      `${other.name} is a brand-new provider with its own KDK. The VMs’ files name ${NKP} and its key ID, and only the KDK in the backup matches them. ` +
        `Restore ${NKP} from last week’s .p12 with Add > Restore from backup (it keeps its name and key ID).`,
    );
  }
  return notYet(`${NKP} is not in the new vCenter yet.`);
}

function hostsCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const vc = view.vcenter;
  if (!vc) return notYet('There is no vCenter.');
  const nkp = restoredNkp(view, baseline);
  if (!nkp) return notYet(`${NKP} from the backup is no longer in vCenter: restore it again.`);
  const missing = view.hosts.filter((h) => h.connection !== 'connected').map((h) => h.name);
  if (missing.length > 0) return notYet(`Not in vCenter yet: ${missing.join(', ')}.`);
  const keys = ENCRYPTED.map((id) => baseline.vms[id]?.keyId).filter((k): k is string => !!k);
  const absent = keys.filter((k) => !vc.keyDatabase.some((e) => e.keyId === k));
  if (absent.length > 0) return notYet(`The key database still lacks ${absent.length} key(s).`);
  return done();
}

function rebootCheck(view: LabView, baseline: LessonBaseline): CheckResult {
  const keyId = baselineKeyId(baseline);
  const restoredAt = lastEventId(view, (e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'ImportKeyProvider' && e.keyId === keyId);
  const rebootedAt = lastEventId(view, (e) => e.eventTypeId === EVENT_ID.hostStarted && e.objectId === REBOOT_HOST);
  const vm = view.vms.find((v) => v.id === REBOOT_VM);
  if (!vm) return notYet();
  if (rebootedAt <= restoredAt) return notYet(`${hostName(view, REBOOT_HOST)} has not been rebooted since ${NKP} was restored.`);
  if (vm.locked) {
    return misconception(
      'locked-after-reboot',
      `db-01 is locked (${vm.locked.reason}): vCenter would not let it have its key. vCenter checks a VM’s key provider before its host’s keys, and ${NKP} from the backup is not in vCenter ` +
        `(removed, or a new one added in its place). Restore it from the .p12 (Key Providers > Add > Restore from backup), then unlock db-01.`,
    );
  }
  if (vm.power !== 'on') return notYet(`${hostName(view, REBOOT_HOST)} rebooted: now power db-01 on.`);
  return done();
}

export const lesson: Lesson = {
  ...catalogued('doomsday-a'),
  scenario,
  prelude: [
    ...nkpReady(NKP, HANDOUT_PASSWORD, { handout: true }),
    ...ENCRYPTED.map((vmId) => cmd({ type: 'vm.encrypt', vmId })),
    ...ENCRYPTED.map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
  ],
  handoutNote:
    `The backup from last week: ${NKP}’s .p12, exported when the provider was set up, and its password. Download it now. ` +
    'The hosts keep the KDK in their encrypted configurations, but a new vCenter gets it only from a backup, and no file-based backup of this vCenter was kept: this file is the way back.',
  steps: [
    {
      id: 'lose-vcenter',
      title: 'Lose vCenter',
      instructions:
        'db-01 and web-01 are encrypted with NKP-Prod and running. Predict what happens to each VM, then open vCenter Server (vcsa-01.lab.local) in the inventory and choose Destroy vCenter…, then Destroy vCenter in the dialog.',
      hints: ['Destroy vCenter… is on the vCenter Server page, under Actions.', 'Stop vCenter is not the same: it keeps the database.'],
      why:
        'The hosts run the VMs, not vCenter. Each host holds the KEKs of its running VMs in memory (and the KDK in its encrypted configuration), so losing vCenter stops no VM; it takes away vCenter’s key database and vCenter’s copy of the KDK, which no host hands back to a new vCenter.',
      evidence: 'keyMap',
      check: loseCheck,
      showMe: () => [cmd({ type: 'vcenter.destroy' })],
      predict: {
        question: 'vCenter is about to be destroyed, database and all. What happens to each running VM?',
        choices: [
          { id: 'runs', label: 'Keeps running' },
          { id: 'stops', label: 'Stops' },
          { id: 'locked', label: 'Keeps running, but locked' },
        ],
        subjects: (view) => view.vms.filter((v) => v.power === 'on').map((v) => ({ id: v.id, label: `${v.name}${v.encryption ? ' (encrypted)' : ''}` })),
        observe: (view, vmId, baseline) => {
          const vm = view.vms.find((v) => v.id === vmId);
          if (vm?.power !== 'on') return { choice: 'stops', reason: 'It is no longer running.' };
          if (vm.locked) return { choice: 'locked', reason: vm.locked.message };
          return {
            choice: 'runs',
            reason: baseline.vms[vmId]?.keyId
              ? `Its host, ${hostName(view, vm.hostId ?? '')}, holds its KEK in memory: a running VM does not need vCenter.`
              : 'It is not encrypted: it needs no key at all.',
          };
        },
      },
    },
    {
      id: 'deploy',
      title: 'Deploy a new vCenter',
      instructions: 'Choose Deploy a new vCenter (at the top of the inventory, where vCenter was).',
      hints: ['The new vCenter has the same name; its Deployment number goes up.'],
      why: 'A new vCenter is a new, empty database: no hosts, no key providers, no key database. The VMs’ files on the datastore still name NKP-Prod and their key IDs.',
      check: deployCheck,
      showMe: () => [cmd({ type: 'vcenter.deploy' })],
    },
    {
      id: 'restore-nkp',
      title: 'Restore NKP-Prod from the backup',
      instructions:
        'Download last week’s .p12 from this panel. In Key Providers choose Add > Restore from backup (the lab’s button: Restore from backup…), pick the .p12, type its password and choose Restore. Do not use Add Native Key Provider…: the name alone is not enough.',
      hints: [
        'Key Providers is in the inventory under the new vCenter.',
        'The password is shown with the backup at the top of this panel.',
      ],
      why:
        'The backup carries the KDK with the provider’s name and key ID. Restored, NKP-Prod derives exactly the KEKs it derived before; a new provider of the same name would have a different KDK and open nothing.',
      evidence: 'keyMap',
      check: restoreCheck,
      showMe: () => [{ kind: 'restoreHandout' }],
    },
    {
      id: 're-add-hosts',
      title: 'Add the hosts back and watch the key database',
      instructions:
        'Open vCenter Server and, under Hosts, choose Add esx-01.lab.local to Cluster-01, then the same for esx-02 and esx-03. Then open the Key map: the KEKs are back in vCenter’s key database.',
      hints: ['Each host has its own Add … to Cluster-01 button in the Hosts table.', 'In the key map, look for “vcenter-db” places on the VMs’ KEKs.'],
      why:
        'Each host still holds the KEKs of its running VMs in memory. Joining a vCenter that has the same NKP, it reports them, and vCenter’s key database is repopulated at once (how vCenter refills these records is the lab’s model). ' +
        'Running VMs are not what saves you: a VM that was off comes back too, since its host keeps the KDK and vCenter derives its key from the restored KDK and the key ID in its files when it powers on.',
      evidence: 'keyMap',
      check: hostsCheck,
      showMe: (view) => view.hosts.filter((h) => h.connection !== 'connected').map((h) => cmd({ type: 'host.add', hostId: h.id })),
    },
    {
      id: 'reboot-host',
      title: 'Prove it: reboot a host',
      instructions: 'Predict, then open esx-01.lab.local and choose Reboot. Its memory is cleared and db-01 stops. Then open db-01 and choose Power on.',
      hints: ['Reboot is on the host’s page.', 'After the reboot, db-01 is powered off: Power on is on its page.'],
      why:
        'The reboot clears the host’s memory: db-01’s KEK and DEK are gone from it. The host reads the KDK back from its encrypted configuration (its TPM unseals the configuration’s key), derives db-01’s KEK again from the key ID in its files, and vCenter, with NKP-Prod restored, lets it power on: the rebuilt key chain holds without the old vCenter.',
      evidence: 'recovery',
      check: rebootCheck,
      showMe: () => [
        cmd({ type: 'host.reboot', hostId: REBOOT_HOST }),
        cmd({ type: 'vm.powerOn', vmId: REBOOT_VM }),
      ],
      predict: {
        question: 'esx-01.lab.local is about to reboot, wiping the keys in its memory. Afterwards, which encrypted VMs run?',
        choices: [
          { id: 'runs', label: 'Runs (powered on again, or never stopped)' },
          { id: 'locked', label: 'Locked: its key is lost' },
        ],
        subjects: (view, baseline) => ENCRYPTED.filter((id) => baseline.vms[id]).map((id) => ({ id, label: view.vms.find((v) => v.id === id)?.name ?? id })),
        observe: (view, vmId) => {
          const vm = view.vms.find((v) => v.id === vmId);
          if (!vm || vm.locked || vm.power !== 'on') {
            return { choice: 'locked', reason: vm?.locked?.message ?? 'It is not running.' };
          }
          return vm.hostId === REBOOT_HOST
            ? { choice: 'runs', reason: 'Its host’s memory was cleared, but the host read the KDK back from its encrypted configuration and derived the KEK again, and vCenter, with NKP-Prod restored, let it power on.' }
            : { choice: 'runs', reason: `Its host, ${hostName(view, vm.hostId ?? '')}, was not rebooted: the KEK never left its memory.` };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'Losing vCenter stops no VM: each host keeps the KEKs of its running VMs in memory.',
    'The hosts keep the KDK, but a new vCenter gets it only from a backup: restore the NKP with Add > Restore from backup and the .p12. The same name is not enough, the KDK must be the same.',
    'Hosts re-added to the new vCenter report the keys they hold, and the key database is rebuilt.',
    'Afterwards the VMs survive a host reboot: the key chain is whole again.',
  ],
};
