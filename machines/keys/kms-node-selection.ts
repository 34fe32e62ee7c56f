// How vCenter picks the KMS node for a key request, by vSphere release. The 2017 material (vSphere 6.5/6.7) describes
// an ordered list: always from the top, a fixed 60 s wait on a node that does not answer, then the next. VMware's
// Standard Key Provider Q&A (7.0 and later) says vCenter uses the nodes "in a round-robin fashion" and that weights or
// priorities cannot be set; the API gives each KMS server an I/O timeout (KmipServerInfo.timeout, in seconds). VMware
// documents no default for that timeout, so the lab assumes 60 s where a scenario sets none, and says so in the UI.
import type { VsphereVersion } from '@/lib/scenario/vsphere-version';
import { KMS_TIMEOUT_MS } from '../actors/kms-wait.machine';

export type NodeSelectionPolicy = 'ordered' | 'roundRobin';

/** The lab's assumption for KmipServerInfo.timeout when a provider sets none (not documented by VMware). */
export const ASSUMED_SERVER_TIMEOUT_S = 60;

export function nodeSelectionOf(version: VsphereVersion): NodeSelectionPolicy {
  return version === '6.5' || version === '6.7' ? 'ordered' : 'roundRobin';
}

/** How long vCenter waits on a node that accepts the connection and never answers. */
export function hungNodeWaitMs(version: VsphereVersion, provider: { serverTimeoutS?: number }): number {
  if (nodeSelectionOf(version) === 'ordered') return KMS_TIMEOUT_MS;
  return (provider.serverTimeoutS ?? ASSUMED_SERVER_TIMEOUT_S) * 1000;
}

/** Where a request starts: the top of the list, or (round-robin) the node whose turn it is. */
function startIndex(policy: NodeSelectionPolicy, nodeCount: number, nextNodeIndex = 0): number {
  return policy === 'ordered' || nodeCount === 0 ? 0 : ((nextNodeIndex % nodeCount) + nodeCount) % nodeCount;
}

/** The nodes in the order one request tries them: it starts where the policy says and fails over along the list. */
export function requestOrder(kmsNodeIds: readonly string[], policy: NodeSelectionPolicy, nextNodeIndex = 0): string[] {
  const start = startIndex(policy, kmsNodeIds.length, nextNodeIndex);
  return [...kmsNodeIds.slice(start), ...kmsNodeIds.slice(0, start)];
}

/** The node the next request starts with (null for a provider with no nodes). */
export function nextNodeId(kmsNodeIds: readonly string[], policy: NodeSelectionPolicy, nextNodeIndex = 0): string | null {
  return requestOrder(kmsNodeIds, policy, nextNodeIndex)[0] ?? null;
}

/** The policy and wait as the view shows them (a provider with no servers yet: the version's own rule). */
export function selectionOf(version: VsphereVersion, provider: { serverTimeoutS?: number }): { policy: NodeSelectionPolicy; hungWaitMs: number; timeoutAssumed: boolean } {
  const policy = nodeSelectionOf(version);
  return { policy, hungWaitMs: hungNodeWaitMs(version, provider), timeoutAssumed: policy === 'roundRobin' && provider.serverTimeoutS === undefined };
}

/** One sentence on the policy, for the UI and the event log. */
export function nodeSelectionSentence(version: VsphereVersion, selection: { hungWaitMs: number; timeoutAssumed: boolean }): string {
  if (nodeSelectionOf(version) === 'ordered') {
    return `vSphere ${version}: vCenter asks the KMS nodes in the listed order, always from the top, and waits a fixed 60 s on a node that accepts the connection but does not answer before it tries the next.`;
  }
  const s = selection.hungWaitMs / 1000;
  const timeout = selection.timeoutAssumed
    ? `${s} s (the lab’s assumption: VMware documents no default for the API’s per-server I/O timeout, KmipServerInfo.timeout)`
    : `${s} s (this provider’s per-server I/O timeout, KmipServerInfo.timeout in the API)`;
  return `vSphere ${version}: vCenter takes the KMS nodes in turn (round-robin; the order set here gives no priority) and fails over to the next when one refuses or does not answer within ${timeout}.`;
}
