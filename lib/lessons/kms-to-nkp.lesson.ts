// Lesson 2: migrate from a KMS to the Native Key Provider. Shallow re-key the running VMs, deep re-key a powered-off
// one and compare, prove nothing needs the KMS any more (both nodes down, hosts rebooted, every VM starts), then
// decommission the KMS: its old keys revoked (kept, as VMware advises, for backups, replicas and DR copies) and the
// provider removed. Revoked and destroyed are told apart: a revoked key can be reactivated by the KMS administrator, a
// destroyed one is gone. Proof: the guest files read back.
import type { LabView } from '@/machines/lab-types';
import {
  findProvider,
  findVm,
  firstOf,
  hostHoldsKey,
  hostName,
  kmsDownSince,
  kmsKeyDestroyedAnywhere,
  kmsKeyRetired,
  lastHostStart,
  listNames,
  misconception,
  notYet,
  sectorsOf,
  vmName,
  vmRuns,
  vmUsesProvider,
} from './checks';
import { catalogued, cmd, nkpReady } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Cluster';
const NKP = 'NKP-1';
const KMS_NODES = ['kms-a', 'kms-b'];
const HOSTS = ['esx-01', 'esx-02'];
const RUNNING = ['db-01', 'web-01'];
const OFF = 'archive-01';
const ALL_VMS = [...RUNNING, OFF];

const vm = (id: string, hostId: string, power: 'on' | 'off', file: string, text: string) =>
  lessonVm(id, hostId, { power, diskMiB: 2, encryptWith: KMS, files: { [file]: text } });

function scenario() {
  return lessonScenario({
    title: 'Migrate from a KMS to NKP',
    description: 'Three VMs encrypted with keys from a two-node KMS cluster; a Native Key Provider, backed up and default, is waiting.',
    kms: kmsCluster(KMS),
    hosts: HOSTS.map((id) => esxHost(id, true)),
    datastoreMiB: 256,
    vms: [
      vm('db-01', 'esx-01', 'on', 'orders.csv', 'order,customer,total\n1001,Ada Lovelace,120.00\n1002,Alan Turing,75.50\n'),
      vm('web-01', 'esx-02', 'on', 'index.html', '<h1>Lab shop: open during the migration</h1>\n'),
      vm(OFF, 'esx-02', 'off', 'ledger-2023.txt', 'FY2023 closing balance: 1,204,331.07\n'),
    ],
  });
}

/** The KMS keys the VMs had at the start: what decommissioning retires. */
function oldKeys(baseline: LessonBaseline): { vmId: string; keyId: string }[] {
  return ALL_VMS.flatMap((vmId) => {
    const keyId = baseline.vms[vmId]?.keyId;
    return keyId && baseline.vms[vmId]?.providerName === KMS ? [{ vmId, keyId }] : [];
  });
}

/**
 * What still opens a VM whose KMS key was retired: its host keeps the KEK in its key cache until it reboots (powering
 * the VM off drops nothing), so the VM can still be shallow re-keyed to NKP-1 from there.
 */
function kekStillCached(view: LabView, vmId: string, keyId: string): string | null {
  const hostId = findVm(view, vmId)?.hostId;
  return hostId && hostHoldsKey(view, hostId, keyId) ? hostId : null;
}

/**
 * Decommissioning before the migration is over: a key a VM still uses revoked or destroyed on the KMS, or the provider
 * removed. Checked on every step, since the KMS pages are always at hand.
 */
function decommissionedTooEarly(view: LabView): CheckResult | null {
  const stillOnKms = ALL_VMS.filter((id) => findVm(view, id)?.encryption?.providerName === KMS);
  for (const vmId of stillOnKms) {
    const keyId = findVm(view, vmId)!.encryption!.keyId;
    if (!kmsKeyRetired(view, keyId)) continue;
    const name = vmName(view, vmId);
    const cachedOn = kekStillCached(view, vmId, keyId);
    const rekeyNow = cachedOn
      ? ` ${hostName(view, cachedOn)} still holds the KEK in its key cache (a host keeps it until it reboots, whether the VM runs or not): shallow re-key ${name} to ${NKP} now, before that host reboots.`
      : '';
    if (kmsKeyDestroyedAnywhere(view, keyId)) {
      return misconception(
        'key-destroyed-while-in-use',
        `Key ${keyId} was destroyed on the KMS while ${name} still uses it: its material is gone from every node, and no one can reactivate it.${
          rekeyNow ||
          ` No host holds the KEK any more (its host rebooted since), so ${name}'s data can be opened again only if the KMS is restored from a backup taken before the destroy. Restart the lesson.`
        } Destroy a key only once nothing needs it, backups and replicas included.`,
      );
    }
    return misconception(
      'key-revoked-while-in-use',
      `Key ${keyId} was revoked on the KMS while ${name} still uses it. A revoked (Deactivated) key keeps its material but is not handed out, so ${name} locks (KeyStateNotActiveOrEnabled) once no host holds the KEK. Ask the KMS administrator to reactivate it (the KMS node’s page > Reactivate; whether a KMS allows it depends on the product), then move ${name} to ${NKP}.${rekeyNow} Retire a key only once no VM uses it.`,
    );
  }
  if (!findProvider(view, KMS) && stillOnKms.length > 0 && view.vcenter) {
    return misconception(
      'provider-removed-while-in-use',
      `${KMS} was removed while ${listNames(stillOnKms.map((id) => vmName(view, id)))} still use its keys: vCenter can no longer fetch them, and those VMs lock the next time a host needs their key (after it reboots). Add ${KMS} back (Add Standard Key Provider… with the same name and nodes), move the VMs to ${NKP}, then remove it.`,
    );
  }
  return null;
}

function shallowDone(view: LabView): CheckResult {
  return firstOf(
    () => decommissionedTooEarly(view),
    () => {
      const stopped = RUNNING.filter((id) => findVm(view, id)?.power === 'off');
      if (stopped.length === 0) return null;
      return misconception(
        'shallow-needs-no-downtime',
        `${listNames(stopped.map((id) => vmName(view, id)))} ${stopped.length === 1 ? 'is' : 'are'} powered off, but a shallow re-key runs with the VM on: only the wrapping of the DEK changes, no disk data is rewritten. Power ${stopped.length === 1 ? 'it' : 'them'} back on.`,
      );
    },
    () => {
      const left = RUNNING.filter((id) => !vmUsesProvider(view, id, NKP));
      return left.length ? notYet(`${listNames(left.map((id) => vmName(view, id)))} still ${left.length === 1 ? 'gets its' : 'get their'} KEK from ${KMS}.`) : null;
    },
  );
}

function deepDone(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => decommissionedTooEarly(view),
    () => {
      const vm = findVm(view, OFF);
      if (!vm?.encryption || vm.encryption.providerName !== NKP) return notYet(`${OFF} still gets its KEK from ${KMS}.`);
      if (vm.encryption.dekFingerprint === baseline.vms[OFF]?.dekFingerprint) {
        return notYet(`${OFF} moved to ${NKP} with its old DEK (a shallow re-key). Run a Deep re-key on it to see what else changes.`);
      }
      return null;
    },
  );
}

function proofWithoutKms(view: LabView): CheckResult {
  return firstOf(
    () => decommissionedTooEarly(view),
    () => {
      const onKms = ALL_VMS.filter((id) => vmUsesProvider(view, id, KMS));
      return onKms.length ? notYet(`Move ${listNames(onKms)} to ${NKP} first.`) : null;
    },
    () => {
      const up = KMS_NODES.filter((id) => view.kmsNodes.find((n) => n.id === id)?.status === 'up');
      return up.length ? notYet(`Take ${listNames(up)} down (KMS nodes > ${up[0]} > Take down).`) : null;
    },
    () => {
      // Every host must have started after the last KMS node went down: a VM that kept running proves nothing,
      // since its keys were in its host's memory all along.
      const since = Math.max(...KMS_NODES.map((id) => kmsDownSince(view, id)));
      const notRebooted = HOSTS.filter((h) => lastHostStart(view, h) < since);
      return notRebooted.length ? notYet(`Reboot ${listNames(notRebooted)} now that the KMS is down.`) : null;
    },
    () => {
      const locked = ALL_VMS.filter((id) => findVm(view, id)?.locked);
      if (locked.length) {
        return notYet(`${listNames(locked)} ${locked.length === 1 ? 'is' : 'are'} locked: open ${locked.length === 1 ? 'it' : 'each'} and choose Unlock VM, then Power on.`);
      }
      const off = ALL_VMS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
  );
}

function decommissioned(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => decommissionedTooEarly(view),
    () => {
      const active = oldKeys(baseline).filter(({ keyId }) => !kmsKeyRetired(view, keyId));
      return active.length
        ? notYet(`${active.length} old key(s) are still Active on the KMS (those of ${listNames(active.map((k) => k.vmId))}): Revoke them on a KMS node's page.`)
        : null;
    },
    () => (findProvider(view, KMS) ? notYet(`Remove ${KMS} from Key Providers.`) : null),
  );
}

export const lesson: Lesson = {
  ...catalogued('kms-to-nkp'),
  scenario,
  prelude: [
    ...nkpReady(NKP, 'Migrate-to-NKP-2024!', { makeDefault: true }),
  ],
  steps: [
    {
      id: 'shallow-running',
      title: 'Shallow re-key the running VMs to NKP-1',
      instructions:
        'Open Key Providers. Under “Move VMs to a key provider”, tick db-01 and web-01, choose NKP-1 as the “Key provider for the new KEKs” and click “Shallow re-key 2 VMs”. Leave both VMs powered on.',
      hints: [
        'NKP-1 is already backed up and the default, so “Default (NKP-1)” works as well.',
        'You can also do it one VM at a time: on the VM page, Re-key depth “Shallow (new KEK)”, then “Shallow re-key”.',
        'Compare each VM’s DEK fingerprint before and after: it does not change.',
      ],
      why: 'A shallow re-key asks the new provider for a new KEK and rewraps the DEK with it. The disk is not touched, so the VM keeps running; this is how a provider migration is done (PowerCLI: Set-VM -KeyProvider).',
      evidence: 'keyMap',
      check: shallowDone,
      showMe: () => [cmd({ type: 'vm.rekeyShallowMany', vmIds: RUNNING, providerId: NKP })],
    },
    {
      id: 'deep-archive',
      title: 'Deep re-key the powered-off VM and compare',
      instructions:
        'Open archive-01 (powered off). Under VM encryption choose Re-key depth “Deep (new KEK and DEK)”, key provider NKP-1, and click “Deep re-key”. Then compare its DEK fingerprint and key with db-01’s.',
      hints: [
        'A deep re-key needs the VM powered off and without snapshots; archive-01 is both.',
        'Watch the progress: every sector of the disk is read, decrypted with the old DEK and written again under a new one.',
        'On the Key map, db-01 kept its DEK under a new KEK; archive-01 has a new DEK under a new KEK.',
      ],
      why: 'A deep re-key replaces the KEK and the DEK, so every sector is rewritten: it takes time proportional to the disk and the VM must be off. It is for a suspected DEK compromise or a policy that demands fresh data keys, not for a provider migration.',
      evidence: 'keyMap',
      check: deepDone,
      showMe: () => [cmd({ type: 'vm.rekeyDeep', vmId: OFF, providerId: NKP })],
      predict: {
        question: 'After each re-key, which keys has the VM changed?',
        choices: [
          { id: 'kekOnly', label: 'The KEK only (same DEK, no sector rewritten)' },
          { id: 'kekAndDek', label: 'The KEK and the DEK (every sector rewritten)' },
        ],
        subjects: (view) => ['db-01', OFF].map((id) => ({ id, label: `${vmName(view, id)} (${id === OFF ? 'deep' : 'shallow'} re-key)` })),
        observe: (view, vmId, baseline) => {
          const vm = findVm(view, vmId);
          const changed = !!vm?.encryption && vm.encryption.dekFingerprint !== baseline.vms[vmId]?.dekFingerprint;
          return changed
            ? { choice: 'kekAndDek', reason: `${vmId}: new DEK ${vm!.encryption!.dekFingerprint}; all ${sectorsOf(vm!)} sectors (4 KiB each) were decrypted and encrypted again.` }
            : { choice: 'kekOnly', reason: `${vmId}: same DEK ${vm?.encryption?.dekFingerprint ?? ''}, now wrapped by a new KEK; no sector was rewritten.` };
        },
      },
    },
    {
      id: 'prove-without-kms',
      title: 'Prove no VM needs the KMS any more',
      instructions:
        'Take both KMS nodes down (KMS nodes > kms-a > Take down, then kms-b). Then Reboot esx-01.lab.local and esx-02.lab.local (each host’s page), and Power on db-01, web-01 and archive-01.',
      hints: [
        'A reboot clears the host’s memory, and its running VMs stop with it.',
        'After the reboot each host unseals NKP-1’s KDK from its TPM (see “Keys sealed in the TPM” on the host page).',
        'If a VM refuses to start, look at its lock reason: which provider does its key come from?',
      ],
      why: 'Rebooting is what makes the test honest: a running VM keeps its keys in the host’s memory whatever happens to the KMS. After a reboot an NKP host derives each KEK from the KDK again, with no KMS involved.',
      evidence: 'events',
      check: proofWithoutKms,
      showMe: () => [
        ...KMS_NODES.map((kmsId) => cmd({ type: 'kms.down', kmsId })),
        ...HOSTS.map((hostId) => cmd({ type: 'host.reboot', hostId })),
        ...ALL_VMS.map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
      ],
      predict: {
        question: 'With both KMS nodes down, once its host has rebooted, can each VM power on?',
        choices: [
          { id: 'starts', label: 'Powers on' },
          { id: 'cannot', label: 'Cannot power on (locked)' },
        ],
        subjects: (view) => ALL_VMS.map((id) => ({ id, label: vmName(view, id) })),
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          if (vm && vmRuns(view, vmId)) {
            return { choice: 'starts', reason: `${vm.name}: its KEK comes from ${vm.encryption?.providerName ?? 'no provider'}; the host derived it from the KDK unsealed from its TPM.` };
          }
          return { choice: 'cannot', reason: `${vm?.name ?? vmId}: ${vm?.locked?.message ?? 'it did not power on.'}` };
        },
      },
    },
    {
      id: 'decommission',
      title: 'Decommission the KMS',
      instructions:
        'Retire the old keys: on a KMS node’s page, Revoke each key the VMs used before the migration (revoked keys stay on the KMS, unusable, and can be reactivated). Then open Key Providers and click “Remove KMS-Cluster…”.',
      hints: [
        'Revoking a key on one node reaches every node of the cluster.',
        'vCenter never destroys keys on a KMS itself: retiring them is the KMS administrator’s act.',
        'Only keys no VM uses any more may go: check “Used by” in the node’s key table.',
        'Destroy… is final. Keep the old keys (revoked) as long as a backup, a replica or a DR copy of these VMs, made before the migration, may still need them.',
      ],
      why: 'After a migration the old KEKs still sit on the KMS; anyone with a copy of the old VM files and those keys could open the disks as they were. Revoking stops the KMS from handing them out while keeping them, because, as VMware warns, a key may still be needed to restore a backup or power on a DR site: destroy them only once every backup, replica and DR copy made with them has expired. Before retiring a KMS, move everything it serves: host keys (hosts’ encryption mode), vSAN encryption, VM templates and first-class disks too; this lab has only VMs. Then remove the provider so vCenter stops depending on the KMS.',
      evidence: 'events',
      check: decommissioned,
      showMe: (_view, baseline) => [
        ...oldKeys(baseline).map(({ keyId }) => cmd({ type: 'kms.revokeKey', kmsId: 'kms-a', keyId })),
        cmd({ type: 'provider.remove', providerId: KMS }),
      ],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A provider migration is a shallow re-key: new KEK from NKP-1, same DEK, no data rewritten, VMs stay on.',
    'A deep re-key also replaces the DEK and rewrites every sector: slow, VM off, for when the data key itself must change.',
    'Only a reboot proves independence from the KMS: running VMs hold their keys in host memory.',
    'Retire the old keys and remove the provider only once no VM uses them.',
    'Revoked is not destroyed: a revoked key keeps its material and the KMS administrator can reactivate it; a destroyed key is gone. Keep old keys for backups, replicas and DR copies.',
  ],
};
