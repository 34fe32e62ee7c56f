// Reordering a standard key provider's KMS nodes. On vSphere 6.5/6.7 vCenter tries them from the top, so the order
// decides which node a key request reaches first (a hung node at the top costs every request a 60-second wait); from
// 7.0 vCenter takes them in turn and the order gives no priority (VMware's Standard Key Provider Q&A). The same nodes,
// new order; its precondition (preconditions/providers.ts) refused anything else.
import { DEFAULT_VSPHERE_VERSION } from '@/lib/scenario/vsphere-version';
import { nodeSelectionOf } from '../keys/kms-node-selection';
import type { LabRuntime } from '../session/lab-runtime';

export function reorderKmsNodesCommand(rt: LabRuntime, providerId: string, kmsNodeIds: string[]): string {
  const provider = rt.provider(providerId)!;
  rt.providerRef(providerId)?.send({ type: 'provider.kmsNodesOrdered', kmsNodeIds });
  const names = kmsNodeIds.map((id) => rt.kms(id).name);
  const version = rt.vcenter()?.version ?? DEFAULT_VSPHERE_VERSION;
  const effect =
    nodeSelectionOf(version) === 'ordered'
      ? `vCenter asks ${names[0]} first.`
      : `on vSphere ${version} vCenter takes the nodes in turn (round-robin), so the order gives ${names[0]} no priority.`;
  rt.logCrypto('ReorderKmsServers', null, providerId, `KMS nodes of ${provider.name} reordered: ${names.join(', ')}. ${effect[0]!.toUpperCase()}${effect.slice(1)}`);
  return `KMS nodes of ${provider.name} are now in the order ${names.join(', ')}: ${effect}`;
}
