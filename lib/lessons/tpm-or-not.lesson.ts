// Lesson 6: TPM or not. A host keeps the Native Key Provider's KDK in its encrypted configuration on its boot device,
// with or without a TPM: rebooted while vCenter is down, both hosts start their encrypted VMs alone (the misconception
// named: "a host without a TPM loses the NKP key at every reboot"). What the TPM really gives: it seals the
// configuration's key to the host, so a copy of the boot disk gives nothing away, while the copy of the TPM-less
// host's disk gives the KDK and the VMs' data. The price: a cleared TPM stops the host at boot until its recovery key
// is given, so the learner keeps it first. Proof: the guest files read back.
import type { LabView } from '@/machines/lab-types';
import { EVENT_ID, findHost, findVm, firstOf, hostHoldsKdk, hostName, lastEventId, lastHostStart, listNames, misconception, notYet, vmRuns } from './checks';
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

/** The claim of some guides (material 000) that VMware's NKP Q&A contradicts: the lesson names it. */
const NO_TPM_CLAIM = 'Some guides say a host without a TPM loses the NKP key at every reboot, so vCenter must push it again.';
const NO_TPM_TRUTH =
  'It does not: ESXi (7.0 U2 and later) keeps the KDK in its encrypted configuration on the boot device and reads it back at every boot, TPM or not (VMware’s NKP Q&A: keys persist across reboots, “functionally yes”).';

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

/** vCenter must be down, not destroyed: a destroyed one takes NKP-1 with it (only its backups could bring it back). */
function stopped(view: LabView): CheckResult | null {
  if (view.vcenterStatus === 'stopped') return null;
  if (view.vcenterStatus === 'destroyed') {
    return misconception(
      'down-is-not-destroyed',
      `vCenter was destroyed, not stopped: its database is gone, and ${NKP} with it (its .p12 backup or vCenter’s file-based backup could bring it back). A vCenter that is down keeps its database and comes back as it was. Reset the lesson and use Stop vCenter.`,
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

/** Every VM runs, powered on from its host with vCenter down: the KDK came from each host's own configuration. */
function startedAlone(view: LabView): CheckResult {
  return firstOf(
    () =>
      view.vcenterStatus === 'running'
        ? misconception(
            'no-tpm-loses-kdk',
            `vCenter is running again. ${NO_TPM_CLAIM} ${NO_TPM_TRUTH} Stop vCenter again (vCenter Server > Stop vCenter) and power the VMs on from their hosts.`,
          )
        : stopped(view),
    () => {
      const off = VMS.filter((id) => !vmRuns(view, id));
      if (off.length === 0) return null;
      const locked = off.filter((id) => findVm(view, id)?.locked);
      return notYet(`Power on ${listNames(off)}.${locked.length ? ` (${listNames(locked)} ${locked.length > 1 ? 'are' : 'is'} locked: open it and choose Unlock VM.)` : ''}`);
    },
  );
}

/** The attacker copied both hosts' boot disks (each with a VM's folder): the TPM-less one gave the data away. */
function disksCopied(view: LabView): CheckResult {
  const tpm = findHost(view, TPM_HOST)?.bootDiskCopy;
  const plain = findHost(view, PLAIN_HOST)?.bootDiskCopy;
  const missing = [!plain ? PLAIN_HOST : null, !tpm ? TPM_HOST : null].filter((h): h is string => h !== null);
  if (missing.length) return notYet(`Copy the boot disk of ${listNames(missing.map((h) => hostName(view, h)))} (host page > Faults and actions > Copy the boot disk).`);
  if (!plain!.decrypted) return notYet(`Copy ${hostName(view, PLAIN_HOST)}’s boot disk with an encrypted VM’s folder (${HR} or ${FIN}).`);
  return { status: 'done' };
}

function recoveryKeyKept(view: LabView): CheckResult {
  return findHost(view, TPM_HOST)?.configuration.recoveryKeyKept
    ? { status: 'done' }
    : notYet(`Keep ${hostName(view, TPM_HOST)}’s recovery key (host page > Encrypted configuration > Keep the recovery key).`);
}

/** esx-01's TPM cleared after its key was kept, the configuration recovered with it (not reinstalled), fin-01 running. */
function recovered(view: LabView): CheckResult {
  const host = findHost(view, TPM_HOST);
  const name = hostName(view, TPM_HOST);
  const on = (type: string) => lastEventId(view, (e) => e.eventTypeId === type && e.objectId === TPM_HOST);
  const keptAt = on(EVENT_ID.recoveryKeyKept);
  // Only a clear after the key was kept counts: that is the outage the kept key is for.
  const clearedAt = on(EVENT_ID.tpmCleared);
  const reinstalledAt = on(EVENT_ID.hostReinstalled);
  return firstOf(
    () => (clearedAt > keptAt ? null : notYet(`Clear ${name}’s TPM (host page > Faults and actions > Clear TPM).`)),
    () =>
      reinstalledAt > clearedAt
        ? misconception(
            'reinstall-instead-of-recovery',
            `You reinstalled ESXi: the way out only when no recovery key was kept. It wiped ${name}’s configuration, ${NKP}’s KDK with it, and made a new recovery key; the host gets the KDK again only from vCenter. Keep its new recovery key, clear the TPM again, and this time boot with the kept recovery key.`,
          )
        : null,
    () => (host?.configuration.locked ? notYet(`${name} stops at boot, its configuration locked: boot it with the kept recovery key (host page > Encrypted configuration).`) : null),
    () => {
      if (vmRuns(view, FIN)) return null;
      // After a reinstall the host kept nothing: only vCenter can give it NKP-1's KDK again.
      return hostHoldsKdk(view, TPM_HOST, NKP) || host?.power !== 'on'
        ? notYet(`Power on ${FIN}.`)
        : notYet(`${name} holds no KDK of ${NKP} (reinstalled): start vCenter and connect ${name} so vCenter pushes it, then power on ${FIN}.`);
    },
  );
}

/** Can the VM start on its host right now, without vCenter? From what the host holds. */
function canStart(view: LabView, vmId: string): { choice: string; reason: string } {
  const vm = findVm(view, vmId);
  if (!vm) return { choice: 'cannot', reason: 'It is gone.' };
  if (!vm.encryption) return { choice: 'starts', reason: `${vm.name} is not encrypted: no key is needed to start it.` };
  const hostId = vm.hostId ?? '';
  const host = findHost(view, hostId);
  if (hostHoldsKdk(view, hostId, vm.encryption.providerId)) {
    const how = host?.hasTpm ? 'its TPM unsealed the configuration’s key' : 'no TPM: the configuration’s key was on its boot disk';
    return { choice: 'starts', reason: `${hostName(view, hostId)} read ${NKP}’s KDK back from its encrypted configuration at boot (${how}) and derives ${vm.name}’s KEK itself.` };
  }
  return { choice: 'cannot', reason: `${hostName(view, hostId)} holds no KDK of ${NKP}.` };
}

/** What the attacker got from a host's boot-disk copy. */
function copyGaveAway(view: LabView, hostId: string): { choice: string; reason: string } {
  const host = findHost(view, hostId);
  const copy = host?.bootDiskCopy;
  if (!copy) return { choice: 'safe', reason: 'No copy was made.' };
  return copy.decrypted
    ? { choice: 'gives', reason: `No TPM: the configuration’s key lay on the copied disk, so ${NKP}’s KDK came out, and with it ${copy.vmName}’s data.` }
    : { choice: 'safe', reason: `The configuration’s key is sealed by ${hostName(view, hostId)}’s TPM, which stayed in the host: the copy holds only ciphertext.` };
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
      id: 'reboot-both',
      title: 'Reboot both hosts with vCenter down',
      instructions:
        'Open vcsa-01.lab.local (vCenter Server, at the top of the inventory) and click Stop vCenter. Then open esx-01.lab.local (TPM 2.0) and Reboot it, and esx-02.lab.local (No TPM) and Reboot it. Compare their “Keys in RAM” afterwards.',
      hints: [
        'Stop vCenter keeps its database: Start vCenter brings it back as it was. Do not destroy it.',
        'Each host page shows its “Encrypted configuration”: which KDK it keeps, and whether its key is sealed by the TPM or lies on the boot disk.',
      ],
      why: `${NKP} was added with “Use key provider only with TPM protected ESXi hosts” unticked, so both hosts got its KDK from vCenter and keep it in their encrypted configuration. A reboot clears a host’s memory; at boot the host opens its configuration again (its key unsealed by the TPM, or read from the boot disk) and its KDK is back in RAM, vCenter or not.`,
      evidence: 'keyMap',
      check: bothRebooted,
      showMe: () => [cmd({ type: 'vcenter.stop' }), ...HOSTS.map((hostId) => cmd({ type: 'host.reboot', hostId }))],
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
      title: 'Power the VMs on with vCenter still down',
      instructions: 'Power on fin-01, hr-01 and print-01 (each VM’s page). With vCenter down you act on each host directly. Keep vCenter down.',
      hints: ['Look at esx-02.lab.local’s “Keys in RAM” first: NKP-1’s KDK is there again, read from its configuration at boot.'],
      why: `${NO_TPM_CLAIM} ${NO_TPM_TRUTH} So a host without a TPM is no less available; what it lacks is protection of that key, which the next step shows.`,
      check: startedAlone,
      showMe: () => VMS.map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
    },
    {
      id: 'copy-disks',
      title: 'Copy both boot disks, as a thief would',
      instructions:
        'On esx-02.lab.local, under Faults and actions, pick hr-01 as the VM folder copied from the datastore and click Copy the boot disk. Then do the same on esx-01.lab.local with fin-01. Read what each copy gave away.',
      hints: [
        'The attacker works on the copies elsewhere: the host and its TPM stay where they are.',
        'Without a TPM, the configuration’s key lies on the boot disk beside the configuration.',
      ],
      why: 'The TPM seals the configuration’s key to the host: a copied (or stolen) boot disk holds it only sealed, and no other TPM unseals it. Without a TPM the key lies on the disk beside the configuration, so the copy gives away the KDK, and with it every VM of that provider whose files the attacker can reach, on whichever host it runs.',
      check: disksCopied,
      showMe: () => [cmd({ type: 'host.copyBootDisk', hostId: PLAIN_HOST, vmId: HR }), cmd({ type: 'host.copyBootDisk', hostId: TPM_HOST, vmId: FIN })],
      predict: {
        question: 'A thief copies each host’s boot disk, and the folder of one encrypted VM from the datastore. From which copy does the VM’s data come out?',
        choices: [
          { id: 'gives', label: 'The data comes out' },
          { id: 'safe', label: 'Nothing comes out' },
        ],
        subjects: (view) => [PLAIN_HOST, TPM_HOST].map((id) => ({ id, label: `${hostName(view, id)} (${findHost(view, id)?.hasTpm ? 'TPM 2.0' : 'no TPM'})` })),
        observe: (view, hostId) => copyGaveAway(view, hostId),
      },
    },
    {
      id: 'keep-recovery-key',
      title: 'Keep esx-01’s recovery key',
      instructions:
        'On esx-01.lab.local, under Encrypted configuration, click Run esxcli system settings encryption recovery list, then Keep the recovery key (in the real product you copy the listed key into your password safe, off the host).',
      hints: ['The recovery key exists only on a host with a TPM, and esxcli lists it only while the host runs.'],
      why: 'The configuration’s key is sealed by the TPM: clear or replace the TPM (a firmware update, a new motherboard) and the host can no longer open its configuration. The recovery key, listed with esxcli and stored off the host beforehand, is the only way to recover it.',
      check: recoveryKeyKept,
      showMe: () => [cmd({ type: 'host.keepRecoveryKey', hostId: TPM_HOST })],
    },
    {
      id: 'recover',
      title: 'Clear esx-01’s TPM, and bring it back with the recovery key',
      instructions:
        'On esx-01.lab.local click Clear TPM: the host restarts and stops at boot. Under Encrypted configuration click Boot with the kept recovery key (in the real product: Shift+O at boot, and the boot option encryptionRecoveryKey=). Then power on fin-01.',
      hints: [
        '“Unable to restore system configuration. A security violation was detected.” is what the host shows at boot.',
        'Reinstalling ESXi also gets the host going, but wipes its configuration: it is the way out only when no recovery key was kept.',
      ],
      why: 'With the recovery key the host opens its configuration again, the TPM’s new seeds seal its key again (as esxcli system settings encryption set --mode=TPM and /sbin/auto-backup.sh make last), and the KDK is back without vCenter. Without the key, the host must be reinstalled and holds nothing until vCenter pushes the KDK again.',
      evidence: 'events',
      check: recovered,
      showMe: () => [cmd({ type: 'host.clearTpm', hostId: TPM_HOST }), cmd({ type: 'host.recoverConfiguration', hostId: TPM_HOST }), cmd({ type: 'vm.powerOn', vmId: FIN })],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A host keeps the Native Key Provider’s KDK in its encrypted configuration on its boot device, with or without a TPM: after a reboot it starts its encrypted VMs without vCenter.',
    'Some guides say a host without a TPM loses the NKP key at every reboot: VMware documents otherwise, and the lab did not.',
    'What the TPM gives: it seals the configuration’s key to the host, so a stolen or copied boot disk gives nothing away. Without one, the copy gives away the KDK and every VM of that provider.',
    'Keep every TPM host’s recovery key off the host (esxcli system settings encryption recovery list): after a TPM is cleared or replaced it is the only way back; without it, ESXi is reinstalled and the host starts with nothing.',
    'Hence vSphere’s recommendation: TPM 2.0 on every host, and “Use key provider only with TPM protected ESXi hosts” ticked where every host has one.',
  ],
};
