// Reordering a standard key provider's KMS nodes: vCenter tries them from the top, so the order decides which node a
// key request reaches first (a hung node at the top costs every request a 60-second wait). The same nodes, new order;
// its precondition (preconditions/providers.ts) refused anything else.
import type { LabRuntime } from '../session/lab-runtime';

export function reorderKmsNodesCommand(rt: LabRuntime, providerId: string, kmsNodeIds: string[]): string {
  const provider = rt.provider(providerId)!;
  rt.providerRef(providerId)?.send({ type: 'provider.kmsNodesOrdered', kmsNodeIds });
  const names = kmsNodeIds.map((id) => rt.kms(id).name);
  rt.logCrypto('ReorderKmsServers', null, providerId, `KMS nodes of ${provider.name} reordered: ${names.join(', ')}. vCenter now asks ${names[0]} first.`);
  return `KMS nodes of ${provider.name} are now in the order ${names.join(', ')}: vCenter asks ${names[0]} first.`;
}
