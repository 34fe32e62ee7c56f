// Lesson 9, "don't panic": the only KMS is lost while the VMs it protects run, and one host has already been rebooted.
// Shut nothing down: set up a Native Key Provider, move every running VM onto it by shallow re-key while its host still
// holds the KEK in its key cache, then prove the move by rebooting the hosts with no KMS at all. The VM whose host was
// rebooted first stays locked: no KMS can give its KEK back. Proof: the moved VMs' guest files read back.
import type { LabView, NativeProviderView } from '@/machines/lab-types';
import {
  cryptoOps,
  findVm,
  firstOf,
  hostHoldsKey,
  hostName,
  kmsDownSince,
  lastEventId,
  lastHostStart,
  listNames,
  misconception,
  nativeProviders,
  notYet,
  powerOnRefused,
  vmName,
  vmRuns,
} from './checks';
import { catalogued, cmd } from './lesson-parts';
import type { CheckResult, Lesson, LessonAction } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Prod';
const KMS_NODE = 'kms-01';
export const NKP = 'NKP-Rescue';
export const NKP_PASSWORD = 'Lantern-Quarry-Meadow-Orbit-42';
/** The VMs still running when the lesson starts: the ones to save. */
const MOVERS = ['db-01', 'web-01'];
/** Its host was rebooted before the learner arrived: its KEK is gone with the host's key cache. */
const FIRST_REBOOTED = 'app-01';
const FIRST_HOST = 'esx-03';

function scenario() {
  return lessonScenario({
    title: 'Lesson 9: don’t panic',
    description: 'Three VMs encrypted with keys from a single KMS node, kms-01, behind the standard key provider KMS-Prod.',
    kms: {
      kmsNodes: [{ id: KMS_NODE, name: KMS_NODE, address: `${KMS_NODE}.lab.local` }],
      standardProviders: [{ name: KMS, kmsNodeIds: [KMS_NODE], isDefault: true }],
    },
    hosts: [esxHost('esx-01', true), esxHost('esx-02', true), esxHost(FIRST_HOST, true)],
    datastoreMiB: 128,
    vms: [
      lessonVm('db-01', 'esx-01', { power: 'on', diskMiB: 2, encryptWith: KMS, files: { 'customers.csv': CUSTOMERS_CSV } }),
      lessonVm('web-01', 'esx-02', { power: 'on', diskMiB: 2, encryptWith: KMS, files: { 'index.html': '<h1>Lab shop: still open</h1>\n' } }),
      // Its guest files are not part of the proof: it stays locked while the KMS is gone.
      lessonVm(FIRST_REBOOTED, FIRST_HOST, { power: 'on', diskMiB: 2, encryptWith: KMS, files: {} }),
    ],
  });
}

/** The Native Key Provider the learner set up: backed up (usable), the default one first. */
function rescueNkp(view: LabView): NativeProviderView | undefined {
  const usable = nativeProviders(view).filter((p) => p.backedUp);
  return usable.find((p) => p.isDefault) ?? usable[0];
}

const onKms = (view: LabView, vmId: string) => findVm(view, vmId)?.encryption?.providerName === KMS;
const onNative = (view: LabView, vmId: string) => findVm(view, vmId)?.encryption?.providerKind === 'native';

/**
 * "Shut everything down cleanly first": a VM still on KMS-Prod powered off (harmless by itself, its key stays in the
 * host's key cache, but the next step of a clean shutdown is the host) or its host rebooted or powered off (the KEK is
 * gone with the key cache, and no KMS can give it back). Checked on every step while a VM is still on the KMS.
 */
function shutDownFirst(view: LabView): CheckResult | null {
  for (const vmId of MOVERS) {
    const vm = findVm(view, vmId);
    if (!vm?.encryption || !onKms(view, vmId)) continue;
    const host = vm.hostId ? hostName(view, vm.hostId) : 'its host';
    const kmsUp = view.kmsNodes.find((n) => n.id === KMS_NODE)?.status === 'up';
    if (!vm.hostId || !hostHoldsKey(view, vm.hostId, vm.encryption.keyId)) {
      return misconception(
        'shut-down-first',
        `${host} lost ${vm.name}’s KEK: a host’s key cache is memory, cleared when the host reboots or powers off, and with the only KMS gone nothing can give that key back. ` +
          (kmsUp
            ? `kms-01 answers again, so vCenter can fetch the key: open ${vm.name}, choose Unlock VM if it is locked, power it on and move it to ${NKP} now.`
            : `${vm.name} stays locked until the KMS returns. In the lab, KMS nodes > kms-01 > Restore stands for the KMS team rebuilding it from their backup (days, in real life); then Unlock VM, power it on and move it. Never shut down a host whose VMs’ KMS is gone.`),
      );
    }
    if (vm.power === 'off') {
      return misconception(
        'shut-down-first',
        `${vm.name} is powered off. Its KEK is still in ${host}’s key cache (powering a VM off drops no key; only a host reboot does), so it can start again. ` +
          `But a clean shutdown gains nothing here: a shallow re-key runs with the VM on, and the next step of a shutdown, the host, would lose the key with nothing to give it back while the KMS is gone. Power ${vm.name} back on and leave its host running.`,
      );
    }
  }
  return null;
}

function appLockedSeen(view: LabView): CheckResult {
  return firstOf(
    () => shutDownFirst(view),
    () => {
      const app = findVm(view, FIRST_REBOOTED);
      if (app?.locked || powerOnRefused(view, FIRST_REBOOTED) || vmRuns(view, FIRST_REBOOTED)) return null;
      return notYet(`Open ${FIRST_REBOOTED} and choose Power on.`);
    },
  );
}

function nkpReady(view: LabView): CheckResult {
  return firstOf(
    () => shutDownFirst(view),
    () => {
      const natives = nativeProviders(view);
      if (natives.length === 0) return notYet(`Add a Native Key Provider (Key Providers > Add Native Key Provider…), e.g. ${NKP}.`);
      const nkp = rescueNkp(view);
      if (!nkp) return notYet(`Back up ${natives[0]!.name} (Back up ${natives[0]!.name}…): until it is backed up vCenter cannot use it.`);
      return nkp.isDefault ? null : notYet(`Make ${nkp.name} the default key provider (Set as default on its card).`);
    },
  );
}

function moved(view: LabView): CheckResult {
  return firstOf(
    () => nkpReady(view),
    () => {
      const left = MOVERS.filter((id) => !onNative(view, id));
      return left.length ? notYet(`${listNames(left)} still ${left.length === 1 ? 'gets its' : 'get their'} KEK from ${KMS}.`) : null;
    },
  );
}

/** The event id of the VM's latest shallow re-key (its move to the NKP), 0 if none. */
const movedAt = (view: LabView, vmId: string) => lastEventId(view, (e) => e.operation === 'RekeyShallow' && e.objectId === vmId);

function provedWithoutKms(view: LabView): CheckResult {
  return firstOf(
    () => moved(view),
    () => (view.kmsNodes.find((n) => n.id === KMS_NODE)?.status === 'up' ? notYet('kms-01 answers again: take it down (KMS nodes > kms-01 > Take down). The proof counts only with no KMS at all.') : null),
    () => {
      // A host must have started after the KMS went down and after its VM moved: a VM that kept running proves
      // nothing, its key was in its host's memory all along.
      const since = kmsDownSince(view, KMS_NODE);
      const hosts = [...new Set(MOVERS.map((id) => findVm(view, id)?.hostId).filter((h): h is string => !!h))];
      const notRebooted = hosts.filter((h) => lastHostStart(view, h) < Math.max(since, ...MOVERS.filter((id) => findVm(view, id)?.hostId === h).map((id) => movedAt(view, id))));
      return notRebooted.length ? notYet(`Reboot ${listNames(notRebooted.map((h) => hostName(view, h)))} (each host’s page > Reboot).`) : null;
    },
    () => {
      const off = MOVERS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
  );
}

const showNkpReady = (view: LabView): LessonAction[] => {
  const existing = nativeProviders(view)[0];
  const name = existing?.name ?? NKP;
  const id = existing?.id ?? NKP;
  return [
    ...(existing ? [] : [cmd({ type: 'provider.addNative', name: NKP, tpmOnly: true })]),
    ...(existing?.backedUp ? [] : [{ kind: 'backupNkp' as const, providerName: name, password: NKP_PASSWORD }]),
    ...(existing?.isDefault ? [] : [cmd({ type: 'provider.setDefault', providerId: id })]),
  ];
};

export const lesson: Lesson = {
  ...catalogued('dont-panic'),
  scenario,
  prelude: [
    // Murphy strikes: the only KMS node is gone, and a colleague reboots esx-03 to "clear the alarms".
    cmd({ type: 'kms.down', kmsId: KMS_NODE }),
    cmd({ type: 'host.reboot', hostId: FIRST_HOST }),
  ],
  startPage: '#/kms/kms-01',
  steps: [
    {
      id: 'see-app-01',
      title: 'Look before you act: app-01',
      instructions:
        'kms-01, the only node of KMS-Prod, is gone, and this morning a colleague rebooted esx-03.lab.local to clear the alarms; app-01 stopped with it. db-01 and web-01 still run. Predict, then open app-01 and choose Power on.',
      hints: [
        'app-01 is under esx-03.lab.local in the inventory.',
        'Read the reason on the refusal: which key, from where, and why it cannot be had.',
      ],
      why:
        'A host keeps the KEKs vCenter gave it in its key cache, which is memory only: a host reboot clears it, a VM power-off does not. After esx-03 rebooted, vCenter had to fetch app-01’s KEK from KMS-Prod by its ID, and no node answers.',
      evidence: 'events',
      check: appLockedSeen,
      showMe: () => [cmd({ type: 'vm.powerOn', vmId: FIRST_REBOOTED })],
      predict: {
        question: 'The only KMS is gone. Which of these VMs can run?',
        choices: [
          { id: 'runs', label: 'Runs (keeps running, or powers on)' },
          { id: 'locked', label: 'Locked: cannot power on' },
        ],
        subjects: (view) => [
          { id: FIRST_REBOOTED, label: `${vmName(view, FIRST_REBOOTED)} (its host was rebooted)` },
          ...MOVERS.map((id) => ({ id, label: `${vmName(view, id)} (still running)` })),
        ],
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          if (vm && vmRuns(view, vmId)) {
            return { choice: 'runs', reason: `${vm.name}: ${hostName(view, vm.hostId ?? '')} holds its KEK in its key cache, so it runs with no KMS.` };
          }
          return { choice: 'locked', reason: `${vm?.name ?? vmId}: ${vm?.locked?.message ?? 'it is not running, and its host no longer holds its KEK.'}` };
        },
      },
    },
    {
      id: 'set-up-nkp',
      title: 'Set up a Native Key Provider',
      instructions:
        'Shut nothing down. In Key Providers (vSphere Client: vCenter > Configure > Security > Key Providers; here the Key Providers node of the inventory) choose Add Native Key Provider…, name it NKP-Rescue and add it. Then Back up NKP-Rescue… with a password you keep, and Set as default.',
      hints: [
        'Every host has a TPM 2.0, so the recommended “Use key provider only with TPM protected ESXi hosts” can stay ticked.',
        'An NKP is not usable until it is backed up: the .p12 is its first copy outside vCenter.',
        `The password ${NKP_PASSWORD} is as good as any, if you do not have your own.`,
      ],
      why:
        'The Native Key Provider needs no KMS: vCenter generates its KDK and pushes it to the hosts, which keep it and derive KEKs from it. It is the nearest provider that does not depend on the lost KMS.',
      check: nkpReady,
      showMe: showNkpReady,
    },
    {
      id: 'move-running',
      title: 'Move the running VMs to NKP-Rescue',
      instructions:
        'Shallow re-key db-01 and web-01 to NKP-Rescue while they run: in Key Providers, under “Move VMs to a key provider”, tick both, choose NKP-Rescue and click “Shallow re-key 2 VMs”. (vSphere Client: select the VMs, Actions > VM Policies > Re-encrypt, which uses the default provider; PowerCLI: Set-VM -KeyProvider -SkipHardDisks.)',
      hints: [
        'One VM at a time works too: on the VM’s page, Re-key depth “Shallow (new KEK)”, key provider NKP-Rescue, Shallow re-key.',
        'Try app-01 as well, and read why it cannot move.',
      ],
      why:
        'A shallow re-key unwraps the DEK with the old KEK and wraps it again with a new KEK from the new provider. The old KEK comes from the host’s key cache, so no KMS is needed, but only while that host has not rebooted.',
      evidence: 'keyMap',
      check: moved,
      showMe: (view) => {
        const nkp = rescueNkp(view);
        const left = MOVERS.filter((id) => !onNative(view, id));
        return nkp && left.length ? [cmd({ type: 'vm.rekeyShallowMany', vmIds: left, providerId: nkp.id })] : [];
      },
      predict: {
        question: 'With the KMS gone, can each VM be moved to NKP-Rescue by a shallow re-key?',
        choices: [
          { id: 'moves', label: 'Moves (new KEK from NKP-Rescue)' },
          { id: 'stuck', label: 'Cannot move' },
        ],
        subjects: (view) => [...MOVERS, FIRST_REBOOTED].map((id) => ({ id, label: vmName(view, id) })),
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          if (onNative(view, vmId)) {
            return { choice: 'moves', reason: `${vm!.name}: its host still held the old KEK in memory, so the DEK was unwrapped and wrapped again by a KEK of ${vm!.encryption!.providerName}.` };
          }
          return { choice: 'stuck', reason: `${vm?.name ?? vmId}: ${vm?.locked ? `locked, ${vm.locked.reason}: its host’s key cache was cleared at the reboot, and the old KEK is needed to unwrap the DEK.` : `still on ${KMS}.`}` };
        },
      },
    },
    {
      id: 'prove-reboot',
      title: 'Prove it: reboot the hosts with no KMS',
      instructions:
        'Predict, then reboot esx-01.lab.local and esx-02.lab.local (each host’s page > Reboot), and power on db-01 and web-01 again. kms-01 stays gone.',
      hints: [
        'A reboot clears each host’s key cache and stops its VMs.',
        'After the reboot, each host reads NKP-Rescue’s KDK from its encrypted configuration and derives the KEKs again: no KMS, no vCenter round trip to a key server.',
      ],
      why:
        'Only a reboot proves the move: a running VM keeps its key in its host’s memory whatever happens to the KMS. NKP-encrypted VMs start again with no KMS at all. app-01 stays locked until kms-01 returns: its KEK lives only there.',
      evidence: 'events',
      check: provedWithoutKms,
      showMe: (view) => {
        const hosts = [...new Set(MOVERS.map((id) => findVm(view, id)?.hostId).filter((h): h is string => !!h))];
        return [
          ...(view.kmsNodes.find((n) => n.id === KMS_NODE)?.status === 'up' ? [cmd({ type: 'kms.down', kmsId: KMS_NODE })] : []),
          ...hosts.map((hostId) => cmd({ type: 'host.reboot', hostId })),
          ...MOVERS.map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
        ];
      },
      predict: {
        question: 'esx-01 and esx-02 are about to reboot, with no KMS anywhere. Afterwards, can each VM power on?',
        choices: [
          { id: 'starts', label: 'Powers on' },
          { id: 'locked', label: 'Locked' },
        ],
        subjects: (view) => [...MOVERS, FIRST_REBOOTED].map((id) => ({ id, label: vmName(view, id) })),
        observe: (view, vmId) => {
          const vm = findVm(view, vmId);
          if (vm && vmRuns(view, vmId)) {
            const derived = cryptoOps(view, 'RekeyShallow', (e) => e.objectId === vmId).length > 0;
            return { choice: 'starts', reason: `${vm.name}: ${derived ? `its KEK is derived from ${vm.encryption?.providerName}’s KDK, which its host kept across the reboot` : 'it runs'}.` };
          }
          return { choice: 'locked', reason: `${vm?.name ?? vmId}: ${vm?.locked?.message ?? `its KEK is on ${KMS} only, which is gone.`}` };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'When the only KMS is lost, running encrypted VMs keep running: each host holds their KEKs in its key cache (memory). Shut nothing down.',
    'Powering a VM off drops no key; rebooting or powering off its host does, and then no KMS can give the KEK back.',
    'Move every running VM to another provider (here a Native Key Provider, backed up first) by shallow re-key while its host still runs: no disk data is rewritten, the VMs stay on.',
    'A VM whose host rebooted before the move stays locked until its KMS returns: avoid a single KMS node, and keep the KMS’s own backups.',
  ],
};
