// Lesson 7: KMS availability. On a vCenter running vSphere 6.7: a node down (refused at once) versus a node hung
// (vCenter waits a fixed 60 s), replication (a node sends its keys only while it is up: a key made on kms-a that had not
// reached kms-b when kms-a failed is missing until kms-a is back, and gone with it were kms-a lost for good), and why
// the order of a provider's nodes matters there (reorder them and the wait is gone). Then vCenter is upgraded to 8.0:
// it takes the nodes in turn (round-robin) and waits the server's I/O timeout, so the order no longer keeps a hung node
// out of turn. Proof: the guest files read back.
// Sites with latency come with a later issue: add a step after 'node-order' (each site's vCenter lists its own
// site's nodes first) with the same keyMadeAt / waitsDuring helpers.
import type { LabEvent, LabView } from '@/machines/lab-types';
import {
  findProvider,
  findVm,
  firstOf,
  kmsKeyAwaitingSender,
  kmsStatusAt,
  listNames,
  kmsWaitsBetween,
  lastEventId,
  lastVmLock,
  misconception,
  notYet,
  vmRuns,
  EVENT_ID,
} from './checks';
import { catalogued, cmd } from './lesson-parts';
import type { CheckResult, Lesson, Prediction } from './lesson-types';
import { esxHost, kmsCluster, lessonScenario, lessonVm } from './scenario-parts';

const KMS = 'KMS-Cluster';
const HOST = 'esx-01';
/** One VM per experiment. */
const DOWN_VM = 'web-01';
const HUNG_VM = 'web-02';
const LAG_VM = 'web-03';
const ORDER_VM = 'web-04';
/** The two key requests of the round-robin experiment. */
const TURN_VMS = ['web-05', 'web-06'];
const VMS = [DOWN_VM, HUNG_VM, LAG_VM, ORDER_VM, ...TURN_VMS];
/** Long enough for a learner to act before the key reaches the peer; the lab clock's fast-forward skips it. */
const LAG_MS = 3 * 60_000;
/** The lesson starts on a release with the ordered list, then upgrades to one with round-robin. */
const OLD_RELEASE = '6.7';
const NEW_RELEASE = '8.0';
/** vCenter's per-server I/O timeout for KMS-Cluster's nodes (KmipServerInfo.timeout), used from 7.0 on. */
const SERVER_TIMEOUT_S = 30;

function scenario() {
  return lessonScenario({
    title: 'KMS availability',
    description: `vCenter on vSphere ${OLD_RELEASE}, a standard key provider over two replicating KMS nodes (3 minutes of replication lag, a ${SERVER_TIMEOUT_S} s I/O timeout per server), one host and six VMs not encrypted yet.`,
    vsphereVersion: OLD_RELEASE,
    kms: kmsCluster(KMS, { replicationLagMs: LAG_MS, serverTimeoutS: SERVER_TIMEOUT_S }),
    hosts: [esxHost(HOST, true)],
    datastoreMiB: 128,
    vms: VMS.map((id, i) => lessonVm(id, HOST, { power: 'off', diskMiB: 1, files: { 'page.html': `<h1>${id}</h1>\n<p>Shop front ${i + 1}</p>\n` } })),
  });
}

const KEY_OPS = new Set(['Encrypt', 'RekeyShallow', 'RekeyDeep']);

/** The event that gave the VM its current key (encrypt or re-key), or null. */
function keyMadeAt(view: LabView, vmId: string): LabEvent | null {
  const keyId = findVm(view, vmId)?.encryption?.keyId;
  if (!keyId) return null;
  const id = lastEventId(view, (e) => e.eventTypeId === EVENT_ID.cryptoOperation && KEY_OPS.has(e.operation ?? '') && e.objectId === vmId && e.keyId === keyId);
  return view.events.find((e) => e.id === id) ?? null;
}

/** The event that put kms-a in its status at `eventId` (take down, make hung, restore), or 0. */
function kmsAChangedBefore(view: LabView, eventId: number): number {
  return lastEventId(view, (e) => e.id <= eventId && e.eventTypeId === EVENT_ID.kmsFault && e.objectId === 'kms-a' && e.user === 'lab' && e.operation === null);
}

/** vCenter's waits on a hung node while it got this key: since kms-a last changed status or the nodes were reordered. */
function waitsDuring(view: LabView, made: LabEvent): LabEvent[] {
  const reordered = lastEventId(view, (e) => e.id < made.id && e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'ReorderKmsServers');
  return kmsWaitsBetween(view, Math.max(kmsAChangedBefore(view, made.id), reordered), made.id);
}

/** The VM got a key while kms-a was in `status`. */
function keyMadeWhile(view: LabView, vmId: string, status: 'down' | 'hung', todo: string): CheckResult {
  const made = keyMadeAt(view, vmId);
  if (!made) return notYet(todo);
  if (kmsStatusAt(view, 'kms-a', made.id) !== status) {
    return notYet(`${vmId} got its key while kms-a was ${kmsStatusAt(view, 'kms-a', made.id)}. Make kms-a ${status === 'down' ? 'down' : 'hung'} first, then give ${vmId} a new key (Shallow re-key).`);
  }
  return { status: 'done' };
}

function howLong(view: LabView, vmId: string): { choice: string; reason: string } {
  const made = keyMadeAt(view, vmId);
  if (!made) return { choice: 'fails', reason: `${vmId} has no key.` };
  const waits = waitsDuring(view, made);
  const status = kmsStatusAt(view, 'kms-a', made.id);
  if (waits.length > 0) {
    return { choice: 'after-60', reason: `kms-a accepted the connection but never answered: vCenter (vSphere ${OLD_RELEASE}) waited its fixed 60 s, then asked kms-b.` };
  }
  const provider = findProvider(view, KMS);
  const first = provider?.kind === 'standard' ? provider.kmsNodeIds[0] : 'the first node';
  return {
    choice: 'at-once',
    reason: status === 'down' ? 'kms-a refused the connection: vCenter moved on to kms-b at once.' : `vCenter asked ${first} first, and it answered.`,
  };
}

/** The question of the down, hung and reordered experiments: where, and how soon, vCenter got the VM's new key. */
function howLongPrediction(question: string, vmId: string): Prediction {
  return {
    question,
    choices: [
      { id: 'at-once', label: 'From kms-b, at once' },
      { id: 'after-60', label: 'From kms-b, after a 60-second wait on kms-a' },
      { id: 'fails', label: 'It fails: no key' },
    ],
    subjects: () => [{ id: vmId, label: vmId }],
    observe: (view, subjectId) => howLong(view, subjectId),
  };
}

/**
 * kms-a lost for good: the later experiments need it, and a key only it held is gone. The lesson names it and sends
 * the learner to Restart (a new lab), since nothing in vSphere or the KMS brings the node or its keys back.
 */
function kmsALost(view: LabView): CheckResult | null {
  if (kmsAStatus(view) !== 'lost') return null;
  const gone = findVm(view, LAG_VM)?.locked && !onKmsB(view, LAG_VM);
  return misconception(
    'node-lost-for-good',
    `kms-a was lost for good${gone ? `, and with it ${LAG_VM}’s key, which had not reached kms-b: ${LAG_VM} can never be unlocked (only a backup of the KMS could bring the key back)` : ''}. A node that never comes back takes with it every key it had not replicated yet. The rest of this lesson needs kms-a: Restart the lesson.`,
  );
}

function lagLocked(view: LabView): CheckResult {
  return firstOf(
    () => kmsALost(view),
    () => (keyMadeAt(view, LAG_VM) ? null : notYet(`Restore kms-a if it is not up, then Encrypt ${LAG_VM}.`)),
    () => {
      const made = keyMadeAt(view, LAG_VM)!;
      if (kmsStatusAt(view, 'kms-a', made.id) !== 'up') return notYet(`${LAG_VM}’s key must come from kms-a: Restore kms-a, then give ${LAG_VM} a new key (Shallow re-key).`);
      if (lastVmLock(view, LAG_VM) > made.id) return null;
      if (onKmsB(view, LAG_VM)) return notYet(`kms-b already has ${LAG_VM}’s key: the replication lag has passed. Give ${LAG_VM} a new key (Shallow re-key) and be quicker, or use Show me.`);
      if (kmsStatusAt(view, 'kms-a', Number.MAX_SAFE_INTEGER) === 'up') return notYet('Take kms-a down before the key reaches kms-b.');
      return notYet(`Reboot ${HOST} (its memory holds ${LAG_VM}’s KEK), then Power on ${LAG_VM}.`);
    },
  );
}

const kmsAStatus = (view: LabView) => view.kmsNodes.find((n) => n.id === 'kms-a')?.status;

/** Whether kms-b holds the VM's current key yet. */
function onKmsB(view: LabView, vmId: string): boolean {
  const keyId = findVm(view, vmId)?.encryption?.keyId;
  return !!keyId && !!view.kmsNodes.find((n) => n.id === 'kms-b')?.keys.some((k) => k.keyId === keyId);
}

function lagRecovered(view: LabView): CheckResult {
  const lost = kmsALost(view);
  if (lost) return lost;
  const vm = findVm(view, LAG_VM);
  if (!vm?.locked) return vmRuns(view, LAG_VM) ? { status: 'done' } : notYet(`Power on ${LAG_VM}.`);
  if (kmsAStatus(view) === 'up' || onKmsB(view, LAG_VM)) {
    return notYet(`${LAG_VM}’s key can be had again: open ${LAG_VM}, Unlock VM and Power on.`);
  }
  // Unlocking while kms-a is still down: the learner expected kms-b to get the key by waiting.
  const triedUnlock = view.events.some((e) => e.id > lastVmLock(view, LAG_VM) && e.eventTypeId === EVENT_ID.taskFailed && e.message.startsWith(`vm.unlock failed: VM ${LAG_VM} `));
  const keyId = vm.encryption?.keyId;
  if (triedUnlock) {
    return misconception(
      'replication-from-a-down-node',
      `${LAG_VM} stays locked: its key is only on kms-a, which is down, and a KMS node sends its keys to its peers only while it is up, so kms-b does not get it however long you wait${
        keyId && kmsKeyAwaitingSender(view, keyId) ? ' (kms-b’s page lists it as waiting for kms-a)' : ''
      }. Restore kms-a, then Unlock VM.`,
    );
  }
  return notYet(`kms-b will not get ${LAG_VM}’s key while kms-a is down: Restore kms-a, then Unlock VM and Power on.`);
}

function orderFixed(view: LabView): CheckResult {
  return firstOf(
    () => kmsALost(view),
    () => (onOldRelease(view) ? null : notYet(`Node order is this step’s subject on vSphere ${OLD_RELEASE}: set vcsa-01 back to ${OLD_RELEASE} (vCenter page > vSphere version) for it.`)),
    () => {
      const p = findProvider(view, KMS);
      if (p?.kind !== 'standard') return notYet(`${KMS} is gone: reset the lesson.`);
      return p.kmsNodeIds[0] === 'kms-b' ? null : notYet(`Move kms-b to the top of ${KMS}’s KMS nodes (Key Providers > ${KMS} > Move kms-b up).`);
    },
    () => {
      const made = keyMadeAt(view, ORDER_VM);
      if (!made) return notYet(kmsStatusAt(view, 'kms-a', Number.MAX_SAFE_INTEGER) === 'hung' ? `Encrypt ${ORDER_VM}.` : `Make kms-a hung, then Encrypt ${ORDER_VM}.`);
      if (kmsStatusAt(view, 'kms-a', made.id) !== 'hung') return notYet(`${ORDER_VM} got its key while kms-a was not hung. Make kms-a hung, then give ${ORDER_VM} a new key (Shallow re-key).`);
      const reordered = lastEventId(view, (e) => e.id < made.id && e.eventTypeId === EVENT_ID.cryptoOperation && e.operation === 'ReorderKmsServers');
      if (!reordered) return notYet(`${ORDER_VM} got its key before the nodes were reordered: give it a new key (Shallow re-key).`);
      return waitsDuring(view, made).length ? notYet(`vCenter still waited on kms-a for ${ORDER_VM}’s key.`) : null;
    },
  );
}

const releaseOf = (view: LabView) => view.vcenter?.version ?? null;
const onOldRelease = (view: LabView) => releaseOf(view) === '6.5' || releaseOf(view) === '6.7';

/** The latest change of vCenter's release to 7.0 or later (event id), or 0. */
function upgradedAt(view: LabView): number {
  return lastEventId(view, (e) => e.eventTypeId === EVENT_ID.vcenterVersion && /now runs vSphere (7|8|9)\./.test(e.message));
}

/** vCenter's waits on kms-a for this key: since the previous key request (any VM's) or the upgrade. */
function waitsForRequest(view: LabView, made: LabEvent): LabEvent[] {
  const previous = lastEventId(view, (e) => e.id < made.id && e.eventTypeId === EVENT_ID.cryptoOperation && KEY_OPS.has(e.operation ?? ''));
  return kmsWaitsBetween(view, Math.max(previous, upgradedAt(view)), made.id);
}

/** The round-robin experiment's key requests: made on the new release, with kms-a hung, one per VM. */
function turnRequests(view: LabView): { vmId: string; made: LabEvent | null; waited: boolean }[] {
  const since = upgradedAt(view);
  return TURN_VMS.map((vmId) => {
    const made = keyMadeAt(view, vmId);
    const counts = !!made && made.id > since && since > 0 && kmsStatusAt(view, 'kms-a', made.id) === 'hung';
    return { vmId, made: counts ? made : null, waited: counts && waitsForRequest(view, made!).length > 0 };
  });
}

function turnsTaken(view: LabView): CheckResult {
  return firstOf(
    () => kmsALost(view),
    () => (upgradedAt(view) > 0 && !onOldRelease(view) ? null : notYet(`Upgrade vcsa-01 to vSphere ${NEW_RELEASE}: its page > vSphere version > ${NEW_RELEASE} > Change version.`)),
    () => (kmsAStatus(view) === 'hung' ? null : notYet('Make kms-a hung again (Restore it first if it is down).')),
    () => {
      const missing = turnRequests(view).filter((r) => !r.made).map((r) => r.vmId);
      return missing.length ? notYet(`With kms-a hung, give ${listNames(missing)} ${missing.length === 1 ? 'a key' : 'their keys'} (Encrypt, or Shallow re-key if encrypted already).`) : null;
    },
    () => {
      const provider = findProvider(view, KMS);
      if (provider?.kind === 'standard' && provider.kmsNodeIds[0] !== 'kms-b') return notYet('Keep kms-b first in KMS-Cluster’s list, so you can see that the order no longer protects you.');
      return turnRequests(view).some((r) => r.waited) ? null : notYet(`Neither request waited: it was kms-b’s turn both times? Give ${TURN_VMS[1]} a new key (Shallow re-key): the next turn is kms-a’s.`);
    },
  );
}

const turnPrediction: Prediction = {
  question: `On vSphere ${NEW_RELEASE}, with kms-b first in the list and kms-a hung, how many of the two key requests (${listNames(TURN_VMS)}) wait on kms-a?`,
  choices: [
    { id: 'none', label: 'Neither: kms-b is first in the list' },
    { id: 'one', label: 'One: vCenter takes the nodes in turn' },
    { id: 'both', label: 'Both' },
  ],
  subjects: () => [{ id: 'requests', label: listNames(TURN_VMS) }],
  observe: (view) => {
    const waited = turnRequests(view).filter((r) => r.waited).map((r) => r.vmId);
    const choice = waited.length === 0 ? 'none' : waited.length === 1 ? 'one' : 'both';
    return {
      choice,
      reason: `${waited.length === 0 ? 'No request' : listNames(waited)} waited ${SERVER_TIMEOUT_S} s (the servers’ I/O timeout) on kms-a: vSphere ${NEW_RELEASE} uses the nodes round-robin, whatever their order.`,
    };
  },
};

const encrypt = (vmId: string) => cmd({ type: 'vm.encrypt', vmId });
const restoreKmsA = () => cmd({ type: 'kms.restore', kmsId: 'kms-a' });
/** "Show me" brings kms-a back first where an experiment needs it up. */
const kmsAUp = (view: LabView) => (kmsAStatus(view) === 'up' ? [] : [restoreKmsA()]);

export const lesson: Lesson = {
  ...catalogued('kms-availability'),
  scenario,
  prelude: [],
  steps: [
    {
      id: 'node-down',
      title: 'A node down',
      instructions: 'Open KMS nodes > kms-a and click Take down. Then open web-01 and click Encrypt (key provider: Default, KMS-Cluster). Watch the Events.',
      hints: [
        `vcsa-01 runs vSphere ${OLD_RELEASE} (its page says so): it asks the nodes in the listed order, and kms-a is first in KMS-Cluster’s list.`,
        'A node that is down refuses the connection.',
      ],
      why: 'When a node refuses the connection, vCenter tries the next node of the provider at once. Nodes of one cluster replicate their keys, so any of them can serve a key that has reached it.',
      evidence: 'events',
      check: (view) => keyMadeWhile(view, DOWN_VM, 'down', `Take kms-a down, then Encrypt ${DOWN_VM}.`),
      showMe: () => [cmd({ type: 'kms.down', kmsId: 'kms-a' }), encrypt(DOWN_VM)],
      predict: howLongPrediction('With kms-a down, how does vCenter get web-01’s new key?', DOWN_VM),
    },
    {
      id: 'node-hung',
      title: 'A node hung',
      instructions:
        'Restore kms-a, then click Make hung on it. Encrypt web-02 and watch the lab clock: vCenter waits for kms-a before it asks kms-b. Use Fast-forward if you do not want to wait the full minute.',
      hints: ['The wait shows in the header beside the lab time, counting down.', 'A hung node accepts the connection and never answers.'],
      why: `A hung node is worse than a dead one: vCenter cannot tell it apart from a slow answer, so it waits. On vSphere ${OLD_RELEASE} that wait is a fixed 60 seconds before the next node, and every key request pays it while the hung node is first in the list.`,
      evidence: 'events',
      check: (view) => keyMadeWhile(view, HUNG_VM, 'hung', `Restore kms-a, Make hung, then Encrypt ${HUNG_VM}.`),
      showMe: (view) => [
        ...kmsAUp(view),
        cmd({ type: 'kms.hang', kmsId: 'kms-a' }),
        encrypt(HUNG_VM),
      ],
      predict: howLongPrediction('With kms-a hung, how does vCenter get web-02’s new key?', HUNG_VM),
    },
    {
      id: 'replication-lag',
      title: 'Replication lag',
      // It ends in a refusal or a success, by the learner's choices: its explanation is headed “Why”.
      expectedOutcome: 'mixed',
      instructions:
        'Restore kms-a and Encrypt web-03: kms-a makes its key, and kms-b gets it only after the replication lag (3 minutes here: see kms-b’s “Waiting to replicate here”). Before then, Take down kms-a, Reboot esx-01.lab.local and Power on web-03.',
      hints: [
        'Do not fast-forward during this step: the lag is what you are testing.',
        'The reboot matters: it clears web-03’s KEK from esx-01’s key cache, so vCenter must fetch it from a KMS node.',
        'How long replication takes depends on the KMS product; the lab’s 3 minutes are only for this lesson.',
      ],
      why: 'Nodes replicate keys in the background, and a node sends its keys only while it is up. A key made on a node that fails before the copy has gone out is on that node alone: the rest of the cluster answers “not found” (KeyStateMissingInKMS) until the node is back. Were the node lost for good, the key would be gone with it (the KMS page’s “Lose for good…” shows that outcome).',
      evidence: 'events',
      check: lagLocked,
      showMe: (view) => [
        ...kmsAUp(view),
        encrypt(LAG_VM),
        cmd({ type: 'kms.down', kmsId: 'kms-a' }),
        cmd({ type: 'host.reboot', hostId: HOST }),
        cmd({ type: 'vm.powerOn', vmId: LAG_VM }),
      ],
      predict: {
        question: 'kms-a fails before web-03’s new key reaches kms-b. After esx-01 reboots, can web-03 power on?',
        choices: [
          { id: 'starts', label: 'Yes: kms-b serves the key' },
          { id: 'locked', label: 'No: locked until kms-a is back (a node that is down sends nothing)' },
          { id: 'lost', label: 'Never: the key is lost' },
        ],
        subjects: () => [{ id: LAG_VM, label: LAG_VM }],
        observe: (view) =>
          lastVmLock(view, LAG_VM) > 0
            ? { choice: 'locked', reason: 'kms-b answered “not found” (KeyStateMissingInKMS): the copy had not left kms-a, and kms-a sends nothing while it is down. The key is not lost: kms-a still has it.' }
            : { choice: 'starts', reason: 'kms-b already had the key.' },
      },
    },
    {
      id: 'lag-over',
      title: 'Bring the sender back',
      instructions:
        'Fast-forward as long as you like: kms-b still does not get web-03’s key (kms-b’s page lists it as waiting for kms-a). Then Restore kms-a, open web-03, Unlock VM and Power on.',
      hints: [
        'Each Fast-forward moves lab time on by a minute.',
        'Once kms-a is back it serves the key itself, and it sends the copy to kms-b after the lag it still had.',
      ],
      why: 'The key was never lost, only stuck on the node that made it. Once that node is up again, vCenter gets the key from it and the VM unlocks; the copy then reaches kms-b. Had kms-a never come back, web-03 could not be unlocked again: nothing else ever held its key.',
      check: lagRecovered,
      showMe: () => [restoreKmsA(), cmd({ type: 'vm.unlock', vmId: LAG_VM }), cmd({ type: 'vm.powerOn', vmId: LAG_VM })],
    },
    {
      id: 'node-order',
      title: `Put the healthy node first (vSphere ${OLD_RELEASE})`,
      instructions:
        'Make kms-a hung again (restore it first if it is down). On Key Providers, under KMS-Cluster’s KMS nodes, click “Move kms-b up” so vCenter asks kms-b first. Then Encrypt web-04: no wait.',
      hints: [`On vSphere ${OLD_RELEASE} vCenter always starts from the top of the list.`, 'With several sites, each site’s vCenter should list its own site’s nodes first.'],
      why: `On vSphere 6.5 and 6.7 vCenter walks the node list in order, so a hung node at the top costs every request a minute: keep the nodes most likely to answer quickly at the top. The next step shows what changed in later releases.`,
      evidence: 'events',
      check: orderFixed,
      showMe: (view) => [
        ...(kmsAStatus(view) === 'hung' ? [] : [...(kmsAStatus(view) === 'up' ? [] : [restoreKmsA()]), cmd({ type: 'kms.hang', kmsId: 'kms-a' })]),
        cmd({ type: 'provider.reorderKmsNodes', providerId: KMS, kmsNodeIds: ['kms-b', 'kms-a'] }),
        encrypt(ORDER_VM),
      ],
      predict: howLongPrediction('With kms-a hung and kms-b first in the list, how does vCenter get web-04’s key?', ORDER_VM),
    },
    {
      id: 'round-robin',
      title: `Upgrade to vSphere ${NEW_RELEASE}: the nodes take turns`,
      instructions: `Open vcsa-01.lab.local (the vCenter page), under vSphere version choose ${NEW_RELEASE} in “Release to run” and click Change version (the lab’s shortcut for an upgrade). Leave kms-a hung and kms-b first. Then Encrypt web-05, and Encrypt web-06.`,
      hints: [
        'Watch the header: one of the two requests waits on kms-a.',
        `The wait is now the servers’ I/O timeout (${SERVER_TIMEOUT_S} s for KMS-Cluster here; the API calls it KmipServerInfo.timeout), not a fixed 60 s.`,
      ],
      why: `From vSphere 7.0, VMware says vCenter uses a provider’s nodes round-robin and weights or priorities cannot be set, so the order no longer keeps a hung node out of turn: every other request reaches it and waits its I/O timeout before failing over. Restore or fix the node, or leave it out of the provider; moving it down the list does not help.`,
      evidence: 'events',
      check: turnsTaken,
      showMe: (view) => [
        ...(onOldRelease(view) || upgradedAt(view) === 0 ? [cmd({ type: 'vcenter.setVersion', version: NEW_RELEASE })] : []),
        ...(kmsAStatus(view) === 'hung' ? [] : [...(kmsAStatus(view) === 'up' ? [] : [restoreKmsA()]), cmd({ type: 'kms.hang', kmsId: 'kms-a' })]),
        ...TURN_VMS.map((vmId) => (findVm(view, vmId)?.encryption ? cmd({ type: 'vm.rekeyShallow', vmId }) : encrypt(vmId))),
      ],
      predict: turnPrediction,
    },
    {
      id: 'all-start',
      title: 'Restore kms-a and start everything',
      instructions: 'Restore kms-a, then Power on every VM that is off (web-03 runs already).',
      hints: [
        'The reboot in the replication step cleared every KEK from esx-01’s key cache: each VM’s key is fetched again by its ID.',
        `With kms-a still hung, vSphere ${NEW_RELEASE} would send every other fetch to it and wait ${SERVER_TIMEOUT_S} s.`,
      ],
      why: 'The data was never at risk while each key existed on some node: a down or hung node decides only how long vCenter takes to get a key. What loses data is a key that only a node lost for good held.',
      evidence: 'events',
      check: (view) =>
        firstOf(
          () => kmsALost(view),
          () => {
            const off = VMS.filter((id) => !vmRuns(view, id));
            return off.length ? notYet(`Power on ${listNames(off)}.`) : null;
          },
        ),
      showMe: (view) => [
        ...(kmsAStatus(view) === 'up' ? [] : [restoreKmsA()]),
        ...VMS.filter((id) => !vmRuns(view, id)).map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
      ],
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A node that is down costs nothing: vCenter tries the next one at once.',
    `A hung node costs a wait per request: a fixed 60 s on vSphere 6.5/6.7, the server’s I/O timeout from 7.0.`,
    'A node replicates only while it is up: a key it had not sent yet is missing until it is back, and gone if it never comes back.',
    'How fast replication runs depends on the KMS product: ask its vendor, and test it.',
    'On 6.5/6.7 order the nodes so the ones most likely to answer come first; from 7.0 vCenter takes them in turn, so fix or remove a hung node instead.',
  ],
};
