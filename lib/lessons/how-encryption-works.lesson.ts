// Lesson 5: how VM encryption works with a standard key provider. Encrypt a VM (the KMS makes the KEK, the host makes
// the DEK), follow both keys on the key map and see the ciphertext beside the plaintext, then reboot the host and
// watch vCenter fetch the KEK again from the KMS by its ID. Proof: the guest file reads back.
import type { LabView } from '@/machines/lab-types';
import { cryptoOps, findVm, firstOf, lastEventId, lastHostStart, misconception, notYet, vmRuns, EVENT_ID } from './checks';
import { catalogued, cmd, encryptWith } from './lesson-parts';
import type { CheckResult, Lesson, LessonAction } from './lesson-types';
import { esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Cluster';
const VM = 'app-01';
const HOST = 'esx-01';

function scenario() {
  return lessonScenario({
    title: 'How VM encryption works',
    description: 'One host, one VM not encrypted yet, and a standard key provider over two KMS nodes.',
    kms: kmsCluster(KMS),
    hosts: [esxHost(HOST, true)],
    datastoreMiB: 128,
    vms: [lessonVm(VM, HOST, { power: 'on', diskMiB: 2, files: { 'payroll.csv': 'employee,salary\nGrace Hopper,9100\nEdsger Dijkstra,8800\n' } })],
  });
}

/** The event id of the VM's (last) encryption, 0 when it is not encrypted by this lesson. */
const encryptedAt = (view: LabView) => lastEventId(view, (e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'Encrypt' && e.objectId === VM);

function encrypted(view: LabView): CheckResult {
  const vm = findVm(view, VM);
  if (vm?.encryption?.providerName === KMS) return { status: 'done' };
  if (vm?.encryption) return notYet(`${VM} is encrypted with ${vm.encryption.providerName}; this lesson follows a key from ${KMS}.`);
  return notYet(vm?.power === 'on' ? `Power off ${VM} first: vSphere encrypts a VM only while it is powered off.` : `Encrypt ${VM} with ${KMS}.`);
}

function runningEncrypted(view: LabView): CheckResult {
  return firstOf(
    () => encrypted(view),
    () => (vmRuns(view, VM) ? null : notYet(`Power on ${VM}.`)),
  );
}

/** After a reboot of its host, the VM runs again with its KEK fetched again from the KMS by its ID. */
function kekFetchedAgain(view: LabView): CheckResult {
  return firstOf(
    () => encrypted(view),
    () => (lastHostStart(view, HOST) > encryptedAt(view) ? null : notYet(`Reboot ${HOST} (its page > Reboot).`)),
    () => {
      const vm = findVm(view, VM)!;
      if (vm.locked) {
        return misconception(
          'kek-lives-on-the-kms',
          `${VM} is locked (${vm.locked.reason}): its host lost the KEK when it rebooted, and the KEK of a standard provider lives on the KMS. The host kept it in its key cache (memory) only, which the reboot cleared. Restore a KMS node, then Unlock VM.`,
        );
      }
      return vmRuns(view, VM) ? null : notYet(`Power on ${VM} again and watch the Events.`);
    },
    () => {
      const keyId = findVm(view, VM)!.encryption!.keyId;
      const fetched = cryptoOps(view, 'PushKey', (e) => e.keyId === keyId && e.objectId === HOST && e.id > lastHostStart(view, HOST));
      return fetched.length ? null : notYet(`vCenter has not fetched key ${keyId} for ${HOST} since its reboot yet.`);
    },
  );
}

/** Where a key is, as the key map shows it: the choices of the prediction below. */
type Form = 'key' | 'wrapped' | 'id' | 'none';
const PLACES: { id: string; label: string; level: 'KEK' | 'DEK'; kind: 'kms' | 'vcenter-db' | 'host-ram' | 'vm-files' }[] = [
  { id: 'kek-kms', label: 'The KEK on the KMS nodes', level: 'KEK', kind: 'kms' },
  { id: 'kek-vcenter', label: 'The KEK in vCenter’s key database', level: 'KEK', kind: 'vcenter-db' },
  { id: 'kek-host', label: 'The KEK in esx-01’s memory', level: 'KEK', kind: 'host-ram' },
  { id: 'kek-files', label: 'The KEK in app-01’s files on the datastore', level: 'KEK', kind: 'vm-files' },
  { id: 'dek-files', label: 'The DEK in app-01’s files on the datastore', level: 'DEK', kind: 'vm-files' },
  { id: 'dek-host', label: 'The DEK in esx-01’s memory', level: 'DEK', kind: 'host-ram' },
];

function formAt(view: LabView, placeId: string): Form {
  const place = PLACES.find((p) => p.id === placeId);
  const vm = findVm(view, VM);
  if (!place || !vm?.encryption) return 'none';
  const keyId = place.level === 'KEK' ? vm.encryption.keyId : `dek:${VM}`;
  const forms = view.keyMap.filter((k) => k.keyId === keyId && k.level === place.level).flatMap((k) => k.places.filter((p) => p.kind === place.kind).map((p) => p.form));
  if (forms.includes('plain')) return 'key';
  if (forms.includes('wrapped')) return 'wrapped';
  if (forms.includes('key-id')) return 'id';
  return 'none';
}

const WHY_FORM: Record<string, string> = {
  'kek-kms': 'The KMS created the KEK and keeps it: it is the only lasting home of a standard provider’s key.',
  'kek-vcenter': 'vCenter keeps only the key ID and asks the KMS for the key whenever a host needs it.',
  'kek-host': 'vCenter pushed the KEK to the host, which keeps it in its key cache (memory) until it reboots; powering the VM off does not drop it.',
  'kek-files': 'The .vmx names the provider and the key ID (encryption.keySafe), never the KEK itself.',
  'dek-files': 'The host made the DEK, wrapped it with the KEK and wrote it into the VM’s files.',
  'dek-host': 'The running VM’s DEK is in the host’s memory, unwrapped: that is how the host reads and writes the disk.',
};

function showEncrypt(view: LabView): LessonAction[] {
  return findVm(view, VM)?.power === 'on' ? encryptWith(VM, KMS) : [cmd({ type: 'vm.encrypt', vmId: VM, providerId: KMS })];
}

export const lesson: Lesson = {
  ...catalogued('how-encryption-works'),
  scenario,
  prelude: [],
  steps: [
    {
      id: 'encrypt',
      title: 'Encrypt app-01 with the KMS',
      instructions:
        'Open app-01 and Power off. Under VM encryption choose KMS-Cluster as the “Key provider for encryption” and click Encrypt. Then look at its KEK key ID and DEK fingerprint in the Summary.',
      hints: [
        'vSphere encrypts a VM only while it is powered off.',
        'The Files tab shows the .vmx: encryption.keySafe names the provider and the key ID.',
      ],
      why: 'vCenter asks a KMS node of KMS-Cluster to create a KEK, keeps only its ID, and pushes the key to the host. The host makes the DEK, encrypts the disk with it, and stores the DEK wrapped by the KEK in the VM’s files.',
      evidence: 'datastore',
      check: encrypted,
      showMe: showEncrypt,
    },
    {
      id: 'follow-keys',
      title: 'Follow the keys, and see the ciphertext',
      instructions:
        'Power on app-01. Open the Key map and follow its KEK and DEK. Then open app-01 > Disk sectors: the stored bytes (ciphertext) sit beside what the host sees (plaintext).',
      hints: [
        'On the Key map, a key shown as an ID is only a name; a wrapped key is encrypted by the key it points to.',
        'The plaintext column appears only while a host holds the VM’s KEK in memory: from its power-on until that host reboots.',
      ],
      why: 'Anyone who copies the datastore gets only ciphertext and a wrapped DEK. To read the disk you need the KEK, and only the KMS keeps it for good.',
      evidence: 'keyMap',
      check: runningEncrypted,
      showMe: () => [cmd({ type: 'vm.powerOn', vmId: VM })],
      predict: {
        question: 'With app-01 running, what does each place hold of its keys?',
        choices: [
          { id: 'key', label: 'The key itself' },
          { id: 'wrapped', label: 'The key, wrapped by another key' },
          { id: 'id', label: 'Only its key ID' },
          { id: 'none', label: 'Nothing of it' },
        ],
        subjects: () => PLACES.map(({ id, label }) => ({ id, label })),
        observe: (view, placeId) => ({ choice: formAt(view, placeId), reason: WHY_FORM[placeId] ?? '' }),
      },
    },
    {
      id: 'reboot',
      title: 'Reboot the host and watch the KEK come back',
      instructions:
        'Open esx-01.lab.local and Reboot it (app-01 stops with it). Then Power on app-01 and look at the Events: vCenter fetched the KEK from KMS-Cluster by its key ID and pushed it to esx-01.',
      hints: [
        'After the reboot, “Keys in RAM” on esx-01 is empty: a KMS key is kept in memory only (what a host keeps across reboots, its encrypted configuration, holds no KMS key here).',
        'The event to look for is a com.vmware.vc.crypto.Operation with operation PushKey and app-01’s key ID.',
      ],
      why: 'By default a host keeps a standard provider’s KEK in memory only. After a reboot vCenter asks the KMS for the key by the ID it kept (KMIP Get) and pushes it to the host again: without vCenter or without the KMS, the VM cannot start.',
      evidence: 'events',
      check: kekFetchedAgain,
      showMe: () => [cmd({ type: 'host.reboot', hostId: HOST }), cmd({ type: 'vm.powerOn', vmId: VM })],
      predict: {
        question: 'After esx-01 reboots, how does app-01 get its KEK back?',
        choices: [
          { id: 'kms', label: 'vCenter fetches it from the KMS by its key ID' },
          { id: 'tpm', label: 'esx-01 unseals it from its TPM' },
          { id: 'lost', label: 'It cannot: the key is gone' },
        ],
        subjects: () => [{ id: VM, label: VM }],
        observe: (view) => {
          const keyId = findVm(view, VM)?.encryption?.keyId;
          const fetched = cryptoOps(view, 'PushKey', (e) => e.keyId === keyId && e.objectId === HOST && e.id > lastHostStart(view, HOST));
          return fetched.length
            ? { choice: 'kms', reason: `vCenter fetched key ${keyId} from ${KMS} and pushed it to ${HOST}. The TPM held nothing of it: by default a host keeps a KMS key in memory only (ESXi’s optional key persistence, off by default, is not part of this lab).` }
            : { choice: 'lost', reason: `${VM} could not get its key back.` };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'The DEK encrypts the disk and lives in the VM’s files, wrapped by the KEK.',
    'A standard provider’s KEK lives on the KMS; vCenter keeps only its ID, a host keeps it in memory until it reboots.',
    'The datastore holds ciphertext only: without the KEK, a copied disk is unreadable.',
    'After a host reboot vCenter fetches the KEK again by its ID; no KMS (or no vCenter) means the VM cannot start.',
  ],
};
