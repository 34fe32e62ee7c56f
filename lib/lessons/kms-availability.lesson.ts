// Lesson 7: KMS availability. A node down (refused at once) versus a node hung (vCenter waits 60 s, not configurable),
// replication lag (a key made on one node is not yet on its peer when the first fails), and why the order of a
// provider's nodes matters (reorder them and the wait is gone). Proof: the guest files read back.
// Sites with latency come with a later issue: add a step after 'node-order' (each site's vCenter lists its own
// site's nodes first) with the same keyMadeAt / waitsDuring helpers.
import type { LabEvent, LabView } from '@/machines/lab-types';
import { findProvider, findVm, firstOf, kmsStatusAt, listNames, kmsWaitsBetween, lastEventId, lastVmLock, misconception, notYet, vmRuns, EVENT_ID } from './checks';
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
const VMS = [DOWN_VM, HUNG_VM, LAG_VM, ORDER_VM];
/** Long enough for a learner to act before the key reaches the peer; the lab clock's fast-forward skips it. */
const LAG_MS = 3 * 60_000;

function scenario() {
  return lessonScenario({
    title: 'KMS availability',
    description: 'A standard key provider over two replicating KMS nodes (3 minutes of replication lag), one host and four VMs not encrypted yet.',
    kms: kmsCluster(KMS, { replicationLagMs: LAG_MS }),
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
    return { choice: 'after-60', reason: `kms-a accepted the connection but never answered: vCenter waited 60 s (a fixed limit, not configurable), then asked kms-b.` };
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

function lagLocked(view: LabView): CheckResult {
  return firstOf(
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
  const vm = findVm(view, LAG_VM);
  if (!vm?.locked) return vmRuns(view, LAG_VM) ? { status: 'done' } : notYet(`Power on ${LAG_VM}.`);
  if (onKmsB(view, LAG_VM) || kmsAStatus(view) === 'up') {
    return notYet(`${LAG_VM}’s key can be had again: open ${LAG_VM}, Unlock VM and Power on.`);
  }
  // Unlocking before the copy has arrived: the learner expected the key on kms-b already.
  const triedUnlock = view.events.some((e) => e.id > lastVmLock(view, LAG_VM) && e.eventTypeId === EVENT_ID.taskFailed && e.message.startsWith(`vm.unlock failed: VM ${LAG_VM} `));
  if (triedUnlock) {
    return misconception(
      'replication-is-instant',
      `${LAG_VM} stays locked: its key exists only on kms-a, which is down, and kms-b gets new keys only after the replication lag. Fast-forward the lab clock until kms-b lists the key, then Unlock VM.`,
    );
  }
  return notYet('Fast-forward the lab clock until kms-b lists the key.');
}

function orderFixed(view: LabView): CheckResult {
  return firstOf(
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
      hints: ['kms-a is first in KMS-Cluster’s list, so vCenter asks it first.', 'A node that is down refuses the connection.'],
      why: 'When a node refuses the connection, vCenter tries the next node of the provider at once. Nodes of one cluster replicate their keys, so any of them can serve.',
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
      why: 'A hung node is worse than a dead one: vCenter cannot tell it apart from a slow answer, so it waits 60 seconds (fixed, not configurable) before trying the next node. Every key request pays that minute while the node stays first in the list.',
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
      instructions:
        'Restore kms-a and Encrypt web-03: kms-a makes its key, and kms-b gets it only after the replication lag (3 minutes here: see kms-b’s “Waiting to replicate here”). Before then, Take down kms-a, Reboot esx-01.lab.local and Power on web-03.',
      hints: [
        'Do not fast-forward during this step: the lag is what you are testing.',
        'The reboot matters: it clears web-03’s KEK from esx-01’s memory, so vCenter must fetch it from a KMS node.',
      ],
      why: 'Nodes replicate keys in the background. A key made on one node and lost with it before it reached the others is missing from the whole cluster (KeyStateMissingInKMS) until that node comes back or the copy arrives.',
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
          { id: 'locked', label: 'No, locked until the key reaches kms-b (or kms-a is back)' },
          { id: 'lost', label: 'Never: the key is lost' },
        ],
        subjects: () => [{ id: LAG_VM, label: LAG_VM }],
        observe: (view) =>
          lastVmLock(view, LAG_VM) > 0
            ? { choice: 'locked', reason: `kms-b answered “not found”: the key was still on its way (KeyStateMissingInKMS). It arrives when the lag has passed.` }
            : { choice: 'starts', reason: 'kms-b already had the key.' },
      },
    },
    {
      id: 'lag-over',
      title: 'Wait out the lag',
      instructions: 'Fast-forward the lab clock until kms-b has web-03’s key (kms-b’s key table lists it). Then open web-03, Unlock VM and Power on, with kms-a still down.',
      hints: ['Each Fast-forward moves lab time on by a minute.'],
      why: 'The key was never lost, only late. Once it has replicated, any node can serve it and the VM unlocks.',
      check: lagRecovered,
      showMe: () => [cmd({ type: 'clock.advance', ms: LAG_MS }), cmd({ type: 'vm.unlock', vmId: LAG_VM }), cmd({ type: 'vm.powerOn', vmId: LAG_VM })],
    },
    {
      id: 'node-order',
      title: 'Put the healthy node first',
      instructions:
        'Make kms-a hung again (restore it first if it is down). On Key Providers, under KMS-Cluster’s KMS nodes, click “Move kms-b up” so vCenter asks kms-b first. Then Encrypt web-04: no wait.',
      hints: ['vCenter always starts from the top of the list.', 'With several sites, each site’s vCenter should list its own site’s nodes first.'],
      why: 'vCenter walks the node list in order, so a hung node at the top costs every request a minute. Keep the nodes most likely to answer quickly at the top. (The seeds describe this ordered list; newer vSphere releases spread requests round-robin instead.)',
      evidence: 'events',
      check: orderFixed,
      showMe: (view) => [
        ...(kmsAStatus(view) === 'hung' ? [] : [restoreKmsA(), cmd({ type: 'kms.hang', kmsId: 'kms-a' })]),
        cmd({ type: 'provider.reorderKmsNodes', providerId: KMS, kmsNodeIds: ['kms-b', 'kms-a'] }),
        encrypt(ORDER_VM),
      ],
      predict: howLongPrediction('With kms-a hung and kms-b first in the list, how does vCenter get web-04’s key?', ORDER_VM),
    },
    {
      id: 'all-start',
      title: 'Start everything, kms-a still hung',
      instructions: 'Power on web-01, web-02 and web-04 (web-03 runs already). kms-a is still hung, yet no request waits: kms-b is asked first.',
      hints: ['The reboot in the replication step cleared every KEK from esx-01’s memory: each VM’s key is fetched again by its ID.'],
      why: 'With the healthy node first, a hung node costs nothing until the first one fails too. The data was never at risk: only the time it takes vCenter to get a key.',
      evidence: 'events',
      check: (view) => {
        const off = VMS.filter((id) => !vmRuns(view, id));
        return off.length ? notYet(`Power on ${listNames(off)}.`) : { status: 'done' };
      },
      showMe: (view) => VMS.filter((id) => !vmRuns(view, id)).map((vmId) => cmd({ type: 'vm.powerOn', vmId })),
    },
  ],
  proof: { kind: 'readBack' },
  summary: [
    'A node that is down costs nothing: vCenter tries the next one at once.',
    'A hung node costs 60 seconds per request (fixed, not configurable) while it is first in the list.',
    'Replication is not instant: a key made on a node that fails before replicating is missing until the copy arrives.',
    'Order the nodes so the ones most likely to answer come first.',
    'None of this puts data at risk while a key exists somewhere in the cluster: it decides how long vCenter takes to get it.',
  ],
};
