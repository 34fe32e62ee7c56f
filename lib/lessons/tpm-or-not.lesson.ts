// Lesson 6: TPM or not. With vCenter down, a host with a TPM and one without reboot: predict which VMs can start. The
// TPM host unseals the NKP's KDK and starts its VM alone; the host without one must wait for vCenter to push the KDK.
// Proof: the guest files read back once vCenter is back.
import type { LabView } from '@/machines/lab-types';
import { EVENT_ID, findVm, firstOf, hostHoldsKdk, hostName, lastEventId, lastHostStart, lastVmLock, listNames, misconception, notYet, vmRuns } from './checks';
import { catalogued, cmd, encryptWith, nkpReady } from './lesson-parts';
import type { CheckResult, Lesson } from './lesson-types';
import { esxHost, lessonScenario, lessonVm } from './scenario-parts';

const NKP = 'NKP-1';
const TPM_HOST = 'esx-01';
const PLAIN_HOST = 'esx-02';
const HOSTS = [TPM_HOST, PLAIN_HOST];
/** fin-01 on the TPM host, hr-01 on the host without one (both NKP), print-01 not encrypted. */
const FIN = 'fin-01';
const HR = 'hr-01';
const PRINT = 'print-01';
const VMS = [FIN, HR, PRINT];

function scenario() {
  const vm = (id: string, hostId: string, file: string, text: string) => lessonVm(id, hostId, { power: 'on', diskMiB: 1, files: { [file]: text } });
  return lessonScenario({
    title: 'TPM or not',
    description: 'Two hosts, one with TPM 2.0 and one without, a Native Key Provider that allows hosts without a TPM, two encrypted VMs and a plain one.',
    hosts: [esxHost(TPM_HOST, true), esxHost(PLAIN_HOST, false)],
    datastoreMiB: 128,
    vms: [
      vm(FIN, TPM_HOST, 'invoices.csv', 'invoice,amount\nINV-7,1200\nINV-8,640\n'),
      vm(HR, PLAIN_HOST, 'staff.txt', 'Katherine Johnson, analyst\nDorothy Vaughan, supervisor\n'),
      vm(PRINT, PLAIN_HOST, 'queue.txt', 'printer-2: 3 jobs\n'),
    ],
  });
}

/** When (event id) vCenter went down this time, 0 when it is running. */
const vcenterDownAt = (view: LabView) =>
  view.vcenterStatus === 'stopped' ? lastEventId(view, (e) => e.eventTypeId === EVENT_ID.vcenterDown) : 0;

function stopped(view: LabView): CheckResult {
  if (view.vcenterStatus === 'stopped') return { status: 'done' };
  if (view.vcenterStatus === 'destroyed') {
    return misconception(
      'down-is-not-destroyed',
      `vCenter was destroyed, not stopped: its database is gone, and ${NKP} with it (only a backup .p12 could bring it back). A vCenter that is down keeps its database and comes back as it was. Reset the lesson and use Stop vCenter.`,
    );
  }
  return notYet('Stop vCenter (vCenter Server > Stop vCenter).');
}

function bothRebooted(view: LabView): CheckResult {
  return firstOf(
    () => stopped(view),
    () => {
      const since = vcenterDownAt(view);
      const left = HOSTS.filter((h) => lastHostStart(view, h) < since);
      return left.length ? notYet(`Reboot ${listNames(left.map((h) => hostName(view, h)))} while vCenter is down.`) : null;
    },
  );
}

function triedAll(view: LabView): CheckResult {
  return firstOf(
    () => (view.vcenterStatus === 'stopped' ? null : notYet('Keep vCenter down for this step: with vCenter up, esx-02 would simply be given the key again.')),
    () => bothRebooted(view),
    () => {
      const off = [FIN, PRINT].filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
    () => {
      if (vmRuns(view, HR)) return null;
      return lastVmLock(view, HR) > vcenterDownAt(view) ? null : notYet(`Try to Power on ${HR} too.`);
    },
  );
}

function allBack(view: LabView): CheckResult {
  return firstOf(
    () => (view.vcenterStatus === 'running' ? null : notYet('Start vCenter (vCenter Server > Start vCenter).')),
    () => {
      const hr = findVm(view, HR);
      if (hr?.locked) return notYet(`${HR} is still locked from when vCenter was down: open it and choose Unlock VM.`);
      const off = VMS.filter((id) => !vmRuns(view, id));
      return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
    },
  );
}

/** Can the VM start on its host right now, without vCenter? From what the host holds. */
function canStart(view: LabView, vmId: string): { choice: string; reason: string } {
  const vm = findVm(view, vmId);
  if (!vm) return { choice: 'cannot', reason: 'It is gone.' };
  if (!vm.encryption) return { choice: 'starts', reason: `${vm.name} is not encrypted: no key is needed to start it.` };
  const hostId = vm.hostId ?? '';
  if (hostHoldsKdk(view, hostId, vm.encryption.providerId)) {
    return { choice: 'starts', reason: `${hostName(view, hostId)} unsealed ${NKP}’s KDK from its TPM at boot and derives ${vm.name}’s KEK itself.` };
  }
  return {
    choice: 'cannot',
    reason: `${hostName(view, hostId)} has no TPM: the reboot cleared the KDK from its memory, and only vCenter can push it again.`,
  };
}

export const lesson: Lesson = {
  ...catalogued('tpm-or-not'),
  scenario,
  prelude: [
    // "Use key provider only with TPM protected ESXi hosts" unticked, so the host without a TPM gets the KDK too.
    ...nkpReady(NKP, 'Tpm-or-not-2024!', { tpmOnly: false }),
    ...[FIN, HR].flatMap((vmId) => [...encryptWith(vmId, NKP), cmd({ type: 'vm.powerOn', vmId })]),
  ],
  steps: [
    {
      id: 'stop-vcenter',
      title: 'Take vCenter down',
      instructions: 'Open vcsa-01.lab.local (vCenter Server, at the top of the inventory) and click Stop vCenter. The VMs keep running: their hosts hold their keys in memory.',
      hints: ['Stop vCenter keeps its database: Start vCenter brings it back as it was. Do not destroy it.'],
      why: 'NKP-1 was added with “Use key provider only with TPM protected ESXi hosts” unticked, so both hosts got its KDK from vCenter. The difference shows only when a host must start again without vCenter.',
      check: stopped,
      showMe: () => [cmd({ type: 'vcenter.stop' })],
    },
    {
      id: 'reboot-both',
      title: 'Reboot both hosts',
      instructions: 'Open esx-01.lab.local (TPM 2.0) and Reboot it, then esx-02.lab.local (No TPM) and Reboot it. Compare their “Keys in RAM” afterwards.',
      hints: ['The host page’s badges say which host has a TPM.', 'Look at “Keys sealed in the TPM” on esx-01 before you reboot it.'],
      why: 'A reboot clears a host’s memory. A host with a TPM unseals NKP’s KDK from it at boot, vCenter or not; a host without one has nothing left until vCenter pushes the KDK again.',
      evidence: 'keyMap',
      check: bothRebooted,
      showMe: () => HOSTS.map((hostId) => cmd({ type: 'host.reboot', hostId })),
      predict: {
        question: 'With vCenter down, once both hosts have rebooted, which VMs can power on?',
        choices: [
          { id: 'starts', label: 'Can power on' },
          { id: 'cannot', label: 'Cannot power on' },
        ],
        subjects: (view) => VMS.map((id) => ({ id, label: `${id} (${hostName(view, findVm(view, id)?.hostId ?? '')}${id === PRINT ? ', not encrypted' : ''})` })),
        observe: (view, vmId) => canStart(view, vmId),
      },
    },
    {
      id: 'power-on',
      title: 'Power the VMs on from their hosts',
      instructions: 'Power on fin-01, print-01 and hr-01 (each VM’s page). With vCenter down you act on each host directly. Read hr-01’s lock reason.',
      hints: ['hr-01 is locked (KeyStateMissingInCache): its host has no key of NKP-1 and no vCenter to ask.'],
      why: 'Without a TPM, an NKP host depends on vCenter after every reboot. That is why vSphere recommends TPM 2.0 on every host, and ticks “Use key provider only with TPM protected ESXi hosts” by default: hosts without a TPM then never get the KDK, and their crypto operations fail with “TPM2 Device is Required”.',
      check: triedAll,
      // hr-01 last: its refusal (the point of the step) ends the run.
      showMe: () => [FIN, PRINT, HR].map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
    },
    {
      id: 'vcenter-back',
      title: 'Bring vCenter back, and hr-01 with it',
      instructions: 'Open “vCenter Server (down)” at the top of the inventory and click Start vCenter. vCenter pushes NKP-1’s KDK to esx-02 again. Then open hr-01, Unlock VM and Power on.',
      hints: ['Unlock VM works once the host can get the key again: look at esx-02’s “Keys in RAM”.'],
      why: 'Once vCenter is back it pushes the KDK to every connected host; the locked VM can then be unlocked and started. The TPM host never needed it.',
      check: allBack,
      showMe: () => [cmd({ type: 'vcenter.start' }), cmd({ type: 'vm.unlock', vmId: HR }), cmd({ type: 'vm.powerOn', vmId: HR })],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'An NKP host with TPM 2.0 seals the KDK in it: after a reboot it starts encrypted VMs without vCenter.',
    'A host without a TPM loses the KDK at every reboot and needs vCenter to push it again.',
    'Hence the recommendation: TPM 2.0 on every host, and “Use key provider only with TPM protected ESXi hosts” ticked.',
  ],
};
