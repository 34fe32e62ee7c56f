// Reordering a standard key provider's KMS nodes: vCenter tries them from the top, so the order decides which node a
// key request reaches first (a hung node at the top costs every request a 60-second wait). The same nodes, new order.
import { refuse } from '../lab-refusal';
import type { LabRuntime } from '../lab-runtime';

export function reorderKmsNodesCommand(rt: LabRuntime, providerId: string, kmsNodeIds: string[]): string {
  rt.requirePrivilege('Cryptographer.ManageKeyServers');
  const vc = rt.requireVcenter();
  const provider = rt.provider(providerId);
  if (!provider) refuse('NO_SUCH_PROVIDER', `There is no key provider ${providerId} in vCenter ${vc.name}. Choose one listed under Key Providers.`);
  if (provider.kind !== 'standard') {
    refuse('NO_KMS', `${provider.name} is a Native Key Provider: it has no KMS nodes to order. Only a standard key provider has a KMS node list.`);
  }
  const current = provider.kmsNodeIds;
  const same = kmsNodeIds.length === current.length && current.every((id) => kmsNodeIds.includes(id));
  if (!same) {
    refuse('NO_SUCH_KMS', `The new order must list each KMS node of ${provider.name} exactly once (${current.join(', ')}). To add or drop a node, add the key provider again with the nodes you want.`);
  }
  rt.providerRef(providerId)?.send({ type: 'provider.kmsNodesOrdered', kmsNodeIds });
  const names = kmsNodeIds.map((id) => rt.kms(id).name);
  rt.logCrypto('ReorderKmsServers', null, providerId, `KMS nodes of ${provider.name} reordered: ${names.join(', ')}. vCenter now asks ${names[0]} first.`);
  return `KMS nodes of ${provider.name} are now in the order ${names.join(', ')}: vCenter asks ${names[0]} first.`;
}
