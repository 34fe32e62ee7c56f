// Lesson 11: rotate the Native Key Provider, the only way there is (NKP never rotates by itself): a new NKP, backed up
// and made the default, every VM moved to it by shallow re-key. Then a user with the No cryptography administrator role
// finds what it may and may not do (refused tasks name the missing privilege), and the rotation is audited from the
// crypto events (user, time, key ID, operation). Proof: the guest files read back through the new NKP.
import type { LabEvent, LabView, NativeProviderView, UserView } from '@/machines/lab-types';
import { EVENT_ID, findVm, firstOf, lastEventId, listNames, misconception, nativeProviders, notYet, vmName } from './checks';
import { catalogued, cmd, nkpReady } from './lesson-parts';
import type { CheckResult, Lesson, LessonBaseline } from './lesson-types';
import { CUSTOMERS_CSV, esxHost, lessonScenario, lessonVm } from './scenario-parts';

export const OLD_NKP = 'NKP-2023';
export const OLD_PASSWORD = 'Copper-Willow-Signal-Harbor-23';
export const NEW_NKP = 'NKP-2024';
export const NEW_PASSWORD = 'Juniper-Comet-Anvil-Prairie-24';
const RUNNING = ['db-01', 'web-01'];
const OFF = 'archive-01';
const VMS = [...RUNNING, OFF];
const NO_CRYPTO_ROLE = 'No cryptography administrator';
/** vSphere event ids this lesson's checks read besides those in checks.ts. */
const USER_LOGIN = 'UserLoginSessionEvent';
const VM_POWERED_ON = 'VmPoweredOnEvent';

function scenario() {
  return lessonScenario({
    title: 'Lesson 11: rotate the Native Key Provider',
    description: 'Three VMs encrypted with the Native Key Provider NKP-2023, set up last year; two of them run.',
    hosts: [esxHost('esx-01', true), esxHost('esx-02', true)],
    datastoreMiB: 128,
    vms: [
      lessonVm('db-01', 'esx-01', { diskMiB: 2, files: { 'customers.csv': CUSTOMERS_CSV } }),
      lessonVm('web-01', 'esx-02', { diskMiB: 2, files: { 'index.html': '<h1>Lab shop: keys rotated while open</h1>\n' } }),
      lessonVm(OFF, 'esx-02', { diskMiB: 2, files: { 'ledger-2023.txt': 'FY2023 closing balance: 1,204,331.07\n' } }),
    ],
  });
}

const oldKdk = (baseline: LessonBaseline) => baseline.providers[OLD_NKP]?.keyId ?? null;

/** The new provider: a Native Key Provider other than last year's (another KDK), the default one first. */
function newNkp(view: LabView, baseline: LessonBaseline): NativeProviderView | undefined {
  const fresh = nativeProviders(view).filter((p) => p.keyId !== oldKdk(baseline));
  return fresh.find((p) => p.isDefault) ?? fresh[0];
}

/**
 * NKP-2023 removed while a VM still uses its keys: it runs on until its host needs the key again, then it locks. Its
 * .p12 (the handout) brings it back with Add > Restore from backup. Checked on every step.
 */
function oldRemovedTooEarly(view: LabView, baseline: LessonBaseline): CheckResult | null {
  if (!view.vcenter || nativeProviders(view).some((p) => p.keyId === oldKdk(baseline))) return null;
  const still = VMS.filter((id) => findVm(view, id)?.encryption?.kdkKeyId === oldKdk(baseline));
  if (still.length === 0) return null;
  return misconception(
    'old-nkp-removed-early',
    `${OLD_NKP} was removed while ${listNames(still)} still ${still.length === 1 ? 'uses' : 'use'} its keys: ${still.length === 1 ? 'it runs' : 'they run'} on, but lock the next time a host needs the key. ` +
      `Restore ${OLD_NKP} from last year’s .p12 (Add > Restore from backup… with the file and password in this panel), move every VM first, and keep the .p12 afterwards: backups and replicas of the VMs still need it.`,
  );
}

function newNkpReady(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => oldRemovedTooEarly(view, baseline),
    () => {
      const fresh = nativeProviders(view).filter((p) => p.keyId !== oldKdk(baseline));
      if (fresh.length === 0) return notYet(`Add a new Native Key Provider, ${NEW_NKP} (Key Providers > Add Native Key Provider…).`);
      const nkp = newNkp(view, baseline)!;
      if (!nkp.backedUp) return notYet(`Back up ${nkp.name} (Back up ${nkp.name}…): it cannot be used before its first backup.`);
      return nkp.isDefault ? null : notYet(`Make ${nkp.name} the default key provider (Set as default on its card).`);
    },
  );
}

/** Every VM on the new NKP: what the later steps build on. */
function allRekeyed(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => newNkpReady(view, baseline),
    () => {
      const nkp = newNkp(view, baseline)!;
      const left = VMS.filter((id) => findVm(view, id)?.encryption?.providerId !== nkp.id);
      return left.length ? notYet(`${listNames(left)} still ${left.length === 1 ? 'uses a key' : 'use keys'} of ${OLD_NKP}.`) : null;
    },
  );
}

/** The re-key step: the running VMs stay on (a VM stopped for it is named; the next step stops one on purpose). */
function rekeyedWithoutDowntime(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => newNkpReady(view, baseline),
    () => {
      const stopped = RUNNING.filter((id) => findVm(view, id)?.power === 'off');
      if (stopped.length === 0) return null;
      return misconception(
        'rotation-needs-no-downtime',
        `${listNames(stopped)} ${stopped.length === 1 ? 'is' : 'are'} powered off, but rotating keys is a shallow re-key, which runs with the VM on (the guest never knows). Power ${stopped.length === 1 ? 'it' : 'them'} back on.`,
      );
    },
    () => allRekeyed(view, baseline),
  );
}

const userOf = (view: LabView, name: string): UserView | undefined => view.vcenter?.users.find((u) => u.name === name);
const noCryptoUsers = (view: LabView) => (view.vcenter?.users ?? []).filter((u) => u.role === NO_CRYPTO_ROLE).map((u) => u.name);
/** A refused task logged for a user for want of a Cryptographer.* privilege. */
const cryptoRefusal = (e: LabEvent, user: string) => e.eventTypeId === EVENT_ID.taskFailed && e.user === user && /privilege Cryptographer\./.test(e.message);

/** The least-privilege tour: since signing in with the No cryptography administrator role, a VM powered on and a crypto operation refused. */
function triedLeastPrivilege(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => allRekeyed(view, baseline),
    () => {
      const current = userOf(view, view.vcenter?.currentUser ?? '');
      if (current?.role === 'Read-only') {
        return misconception(
          'read-only-is-not-no-crypto',
          `${current.name} is Read-only: it may change nothing at all, so it shows nothing about cryptography. The No cryptography administrator role is the Administrator role without the Cryptographer.* privileges: sign in as ${noCryptoUsers(view)[0] ?? 'vm-operator@vsphere.local'}.`,
        );
      }
      const done = noCryptoUsers(view).some((user) => {
        const since = lastEventId(view, (e) => e.eventTypeId === USER_LOGIN && e.user === user);
        if (since === 0) return false;
        const after = view.events.filter((e) => e.id > since);
        return after.some((e) => e.eventTypeId === VM_POWERED_ON && e.user === user) && after.some((e) => cryptoRefusal(e, user));
      });
      if (done) return null;
      return current?.role === NO_CRYPTO_ROLE
        ? notYet(`As ${current.name}: power a VM off and on, then try a crypto operation (a Shallow re-key, or Add Native Key Provider…).`)
        : notYet(`Sign in as ${noCryptoUsers(view)[0] ?? 'vm-operator@vsphere.local'} (“Signed in as” in the header).`);
    },
  );
}

/** The audit ends back in the Administrator's seat. */
function audited(view: LabView, baseline: LessonBaseline): CheckResult {
  return firstOf(
    () => triedLeastPrivilege(view, baseline),
    () => (userOf(view, view.vcenter?.currentUser ?? '')?.role === 'Administrator' ? null : notYet('Sign back in as administrator@vsphere.local.')),
  );
}

/** What the prediction of the least-privilege step asks about: an operation and the privilege vSphere checks for it. */
const OPERATIONS = [
  { id: 'power', label: 'Power web-01 off and on', privilege: 'VirtualMachine.Interact.PowerOn' },
  { id: 'rekey', label: 'Shallow re-key web-01', privilege: 'Cryptographer.Recrypt' },
  { id: 'provider', label: 'Add or remove a key provider', privilege: 'Cryptographer.ManageKeyServers' },
] as const;

export const lesson: Lesson = {
  ...catalogued('rotate-nkp'),
  scenario,
  prelude: [
    ...nkpReady(OLD_NKP, OLD_PASSWORD, { handout: true }),
    ...VMS.map((vmId) => cmd({ type: 'vm.encrypt', vmId })),
    ...RUNNING.map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
  ],
  startPage: '#/providers',
  handoutNote: `Last year’s backup of ${OLD_NKP} and its password. Keep it after the rotation: backups and replicas of the VMs made before it still need that KDK.`,
  steps: [
    {
      id: 'new-nkp',
      title: 'Add NKP-2024, back it up, make it the default',
      instructions:
        'NKP-2023 has never rotated its key and never will: a Native Key Provider does not rotate on its own. In Key Providers (vSphere Client: vCenter > Configure > Security > Key Providers) choose Add Native Key Provider…, name it NKP-2024, then Back up NKP-2024… with a password you keep, and Set as default.',
      hints: [
        'Both hosts have a TPM 2.0: the recommended “Use key provider only with TPM protected ESXi hosts” can stay ticked.',
        `Any password you keep will do, e.g. ${NEW_PASSWORD}.`,
      ],
      why:
        'Rotating NKP keys means a new KDK, and a new KDK means a new provider: the old one never changes its KDK, since other vCenters or DR sites may share it. New encryptions use the default provider.',
      evidence: 'keyMap',
      check: newNkpReady,
      showMe: (view, baseline) => {
        const nkp = newNkp(view, baseline);
        if (!nkp) return nkpReady(NEW_NKP, NEW_PASSWORD, { makeDefault: true });
        return [
          ...(nkp.backedUp ? [] : [{ kind: 'backupNkp' as const, providerName: nkp.name, password: NEW_PASSWORD }]),
          ...(nkp.isDefault ? [] : [cmd({ type: 'provider.setDefault', providerId: nkp.id })]),
        ];
      },
    },
    {
      id: 'rekey-all',
      title: 'Shallow re-key every VM to NKP-2024',
      instructions:
        'Predict, then move all three VMs to NKP-2024 with the VMs as they are (db-01 and web-01 running): Key Providers > “Move VMs to a key provider”, tick db-01, web-01 and archive-01, choose NKP-2024, “Shallow re-key 3 VMs”. (vSphere Client: select the VMs, Actions > VM Policies > Re-encrypt; PowerCLI: Set-VM -KeyProvider -SkipHardDisks in a loop over the encrypted VMs.)',
      hints: [
        'A shallow re-key runs with the VM powered on.',
        'Compare each VM’s DEK fingerprint before and after: the disks are not rewritten.',
      ],
      why:
        'A shallow re-key gives each VM a new KEK, derived from the new KDK, and wraps its DEK again: only the key files change. This is VMware’s rotation procedure for NKP; a deep re-key (new DEK, every sector rewritten, VM off) is for a suspected DEK compromise.',
      evidence: 'keyMap',
      check: rekeyedWithoutDowntime,
      showMe: (view, baseline) => {
        const nkp = newNkp(view, baseline);
        const left = VMS.filter((id) => findVm(view, id)?.encryption?.providerId !== nkp?.id);
        return nkp && left.length ? [cmd({ type: 'vm.rekeyShallowMany', vmIds: left, providerId: nkp.id })] : [];
      },
      predict: {
        question: 'After the shallow re-key to NKP-2024, what has changed for each VM?',
        choices: [
          { id: 'kekOnly', label: 'Its KEK only (same DEK, no disk data rewritten)' },
          { id: 'kekAndDek', label: 'Its KEK and its DEK' },
        ],
        subjects: (view) => VMS.map((id) => ({ id, label: vmName(view, id) })),
        observe: (view, vmId, baseline) => {
          const enc = findVm(view, vmId)?.encryption;
          const same = !!enc && enc.dekFingerprint === baseline.vms[vmId]?.dekFingerprint;
          return same
            ? { choice: 'kekOnly', reason: `${vmId}: new KEK ${enc.keyId} of ${enc.providerName}, same DEK ${enc.dekFingerprint}.` }
            : { choice: 'kekAndDek', reason: `${vmId}: a new DEK ${enc?.dekFingerprint ?? ''}: it was deep re-keyed, which the rotation did not need.` };
        },
      },
    },
    {
      id: 'least-privilege',
      title: 'As a No cryptography administrator',
      instructions:
        'Predict, then sign in as vm-operator@vsphere.local (the header’s “Signed in as”; it holds the No cryptography administrator role). Open web-01 and Power off, then Power on; then try Shallow re-key on web-01, and Add Native Key Provider… in Key Providers. Read each refusal.',
      hints: [
        'The No cryptography administrator role is vSphere’s sample role: Administrator without any Cryptographer.* privilege.',
        'A refusal names the privilege the user lacks; the Events show it as a failed task with the user’s name.',
      ],
      why:
        'vCenter checks a Cryptographer.* privilege for every cryptographic operation, whatever the provider. A user without them still runs the VMs day to day (power, snapshots), so operators can work on encrypted VMs without being able to decrypt, re-key or touch the key providers.',
      evidence: 'events',
      check: triedLeastPrivilege,
      showMe: (view) => {
        const user = noCryptoUsers(view)[0] ?? 'vm-operator@vsphere.local';
        return [
          cmd({ type: 'user.switch', userName: user }),
          ...(findVm(view, 'web-01')?.power === 'on' ? [cmd({ type: 'vm.powerOff', vmId: 'web-01' })] : []),
          cmd({ type: 'vm.powerOn', vmId: 'web-01' }),
          cmd({ type: 'vm.rekeyShallow', vmId: 'web-01' }),
        ];
      },
      predict: {
        question: 'Signed in with the No cryptography administrator role, which of these will vCenter allow?',
        choices: [
          { id: 'allowed', label: 'Allowed' },
          { id: 'refused', label: 'Refused' },
        ],
        subjects: () => OPERATIONS.map((o) => ({ id: o.id, label: o.label })),
        observe: (view, subjectId) => {
          const op = OPERATIONS.find((o) => o.id === subjectId)!;
          const user = view.vcenter?.users.find((u) => u.role === NO_CRYPTO_ROLE);
          return user?.privileges.includes(op.privilege)
            ? { choice: 'allowed', reason: `The role holds ${op.privilege}.` }
            : { choice: 'refused', reason: `The role lacks ${op.privilege}: vCenter refuses it and logs a failed task for ${user?.name ?? 'the user'}.` };
        },
      },
    },
    {
      id: 'audit',
      title: 'Audit the rotation from the events',
      instructions:
        'Predict, then open the Events (vSphere Client: select vCenter, Monitor > Events; here the event console at the foot of the page) and type com.vmware.vc.crypto.Operation in its filter: each cryptographic operation shows its user, time, key ID and operation. Find each VM’s RekeyShallow, and vm-operator’s refused tasks. Then sign back in as administrator@vsphere.local.',
      hints: [
        'The filter matches any column: try a VM’s KEK key ID from its page, or vm-operator.',
        'A refused operation is not a cryptographic operation: vSphere lists it as a failed task (Monitor > Tasks); the lab’s console shows it as com.vmware.vc.TaskFailed, with the privilege named.',
        'Export CSV keeps what the filter shows, for an auditor.',
      ],
      why:
        'vCenter records every cryptographic operation as a com.vmware.vc.crypto.Operation event with the user, the time, the key ID and the operation: the trail an auditor asks for after a rotation.',
      evidence: 'events',
      check: audited,
      showMe: () => [cmd({ type: 'user.switch', userName: 'administrator@vsphere.local' })],
      predict: {
        question: 'Which key ID does each VM’s RekeyShallow event carry?',
        choices: [
          { id: 'newKek', label: 'The new KEK it got from NKP-2024' },
          { id: 'oldKek', label: 'Its old KEK from NKP-2023' },
          { id: 'kdk', label: 'NKP-2024’s KDK' },
        ],
        subjects: (view) => VMS.map((id) => ({ id, label: vmName(view, id) })),
        observe: (view, vmId) => {
          const events = view.events.filter((e) => e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'RekeyShallow' && e.objectId === vmId);
          const e = events.at(-1);
          const vm = findVm(view, vmId);
          if (!e) return { choice: 'newKek', reason: `${vmId}: no RekeyShallow event was logged for it.` };
          const when = `event ${e.id} by ${e.user} at lab time ${Math.round(e.time / 1000)} s`;
          if (e.keyId === vm?.encryption?.keyId) return { choice: 'newKek', reason: `${vmId}: ${when} names key ${e.keyId}, the KEK it uses now; its message names the old one it replaced.` };
          const kdk = nativeProviders(view).find((p) => p.keyId === e.keyId);
          return kdk ? { choice: 'kdk', reason: `${vmId}: ${when} names ${kdk.name}’s KDK.` } : { choice: 'oldKek', reason: `${vmId}: ${when} names key ${e.keyId}.` };
        },
      },
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A Native Key Provider never rotates its key by itself. Rotation = a new NKP, backed up, made the default, then a shallow re-key of every VM; the VMs stay on and no disk data is rewritten.',
    'Keep the old NKP’s .p12 after a rotation, and remove the old provider only once no VM, backup or replica needs it.',
    'The No cryptography administrator role runs encrypted VMs but cannot encrypt, decrypt, re-key or manage key providers: each refusal names the Cryptographer.* privilege.',
    'Every cryptographic operation is an event (com.vmware.vc.crypto.Operation) with user, time, key ID and operation: the audit trail of the rotation.',
  ],
};
