// Preconditions of the key provider commands and of the KMS administrator's actions on a KMS node.
import { refuse } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import { providerOf, requirePrivilege, requireVcenter } from './view-rules';

type Of<T extends LabCommand['type']> = Extract<LabCommand, { type: T }>;

/** vSphere's limit on a key provider's name, in characters. */
export const PROVIDER_NAME_MAX = 80;

export function requireProviderName(name: string): void {
  const trimmed = name.trim();
  if (!trimmed) refuse('BAD_NAME', 'A key provider needs a name.');
  const length = [...trimmed].length;
  if (length > PROVIDER_NAME_MAX) {
    refuse('BAD_NAME', `The key provider name is ${length.toLocaleString('en-US')} characters long; vSphere allows at most ${PROVIDER_NAME_MAX}. Choose a shorter name.`);
  }
}

function requireNewName(view: LabView, name: string): void {
  const trimmed = name.trim();
  requireProviderName(trimmed);
  const vc = requireVcenter(view);
  if (providerOf(vc, trimmed)) refuse('PROVIDER_EXISTS', `A key provider named ${trimmed} already exists.`);
}

function requireKms(view: LabView, kmsId: string) {
  const node = view.kmsNodes.find((k) => k.id === kmsId);
  if (!node) refuse('NO_SUCH_KMS', `There is no KMS node "${kmsId}".`);
  return node;
}

/** A node that still exists: a node lost for good has no state to change and no keys to act on. */
function requireKmsNotLost(view: LabView, kmsId: string) {
  const node = requireKms(view, kmsId);
  if (node.status === 'lost') refuse('KMS_LOST', `KMS node ${node.name} was lost for good: nothing on it can be reached or brought back.`);
  return node;
}

/** A fault (or the way back) that changes the node's state: refused when it is already there. */
function requireKmsFault(view: LabView, kmsId: string, to: 'down' | 'hung' | 'up'): void {
  const node = requireKmsNotLost(view, kmsId);
  if (node.status === to) {
    refuse('KMS_ALREADY', to === 'up' ? `KMS node ${node.name} is up: nothing to restore.` : `KMS node ${node.name} is already ${to}.`);
  }
}

function requireProvider(view: LabView, providerId: string): void {
  const vc = requirePrivilege(view, 'Cryptographer.ManageKeyServers');
  if (!providerOf(vc, providerId)) refuse('NO_SUCH_PROVIDER', `There is no key provider ${providerId}.`);
}

/** The KMS administrator acts on a key the node has (replicated to it or still on its way). */
function requireKmsKey(view: LabView, kmsId: string, keyId: string) {
  const node = requireKmsNotLost(view, kmsId);
  const key = node.keys.find((k) => k.keyId === keyId);
  if (!key && !node.pendingReplication.includes(keyId)) refuse('NO_SUCH_KEY', `KMS node ${node.name} has no key ${keyId}.`);
  return key?.state ?? 'Active';
}

export const providerChecks = {
  'provider.addStandard': (view: LabView, c: Of<'provider.addStandard'>) => {
    requirePrivilege(view, 'Cryptographer.ManageKeyServers');
    requireNewName(view, c.name);
    if (c.kmsNodeIds.length === 0) refuse('NO_KMS', 'A standard key provider needs at least one KMS node.');
    for (const kmsId of c.kmsNodeIds) requireKms(view, kmsId);
  },
  'provider.addNative': (view: LabView, c: Of<'provider.addNative'>) => {
    requirePrivilege(view, 'Cryptographer.ManageKeyServers');
    requireNewName(view, c.name);
  },
  'provider.setDefault': (view: LabView, c: Of<'provider.setDefault'>) => requireProvider(view, c.providerId),
  'provider.remove': (view: LabView, c: Of<'provider.remove'>) => requireProvider(view, c.providerId),
  /** The same KMS nodes in a new order: vCenter tries them from the top. */
  'provider.reorderKmsNodes': (view: LabView, c: Of<'provider.reorderKmsNodes'>) => {
    const vc = requirePrivilege(view, 'Cryptographer.ManageKeyServers');
    const provider = providerOf(vc, c.providerId);
    if (!provider) refuse('NO_SUCH_PROVIDER', `There is no key provider ${c.providerId} in vCenter ${vc.name}. Choose one listed under Key Providers.`);
    if (provider.kind !== 'standard') {
      refuse('NO_KMS', `${provider.name} is a Native Key Provider: it has no KMS nodes to order. Only a standard key provider has a KMS node list.`);
    }
    const current = provider.kmsNodeIds;
    if (c.kmsNodeIds.length !== current.length || !current.every((id) => c.kmsNodeIds.includes(id))) {
      refuse('NO_SUCH_KMS', `The new order must list each KMS node of ${provider.name} exactly once (${current.join(', ')}). To add or drop a node, add the key provider again with the nodes you want.`);
    }
  },
  'kms.down': (view: LabView, c: Of<'kms.down'>) => requireKmsFault(view, c.kmsId, 'down'),
  'kms.hang': (view: LabView, c: Of<'kms.hang'>) => requireKmsFault(view, c.kmsId, 'hung'),
  'kms.restore': (view: LabView, c: Of<'kms.restore'>) => requireKmsFault(view, c.kmsId, 'up'),
  'kms.lose': (view: LabView, c: Of<'kms.lose'>) => void requireKmsNotLost(view, c.kmsId),
  /** KMIP Revoke: only an Active (or PreActive) key can be revoked. */
  'kms.revokeKey': (view: LabView, c: Of<'kms.revokeKey'>) => {
    const state = requireKmsKey(view, c.kmsId, c.keyId);
    if (state !== 'Active' && state !== 'PreActive') refuse('KMS_KEY_STATE', `Only an Active key can be revoked; key ${c.keyId} is ${state}.`);
  },
  /** The KMS product's way back for a revoked key; a destroyed key has none. */
  'kms.reactivateKey': (view: LabView, c: Of<'kms.reactivateKey'>) => {
    const state = requireKmsKey(view, c.kmsId, c.keyId);
    if (state === 'Destroyed') {
      refuse('KMS_KEY_STATE', `Key ${c.keyId} was destroyed: its material is gone and cannot be reactivated. Only a backup of the KMS taken before the destroy could bring it back.`);
    }
    if (state !== 'Deactivated') refuse('KMS_KEY_STATE', `Key ${c.keyId} is ${state}: only a revoked (Deactivated) key can be reactivated.`);
  },
  'kms.destroyKey': (view: LabView, c: Of<'kms.destroyKey'>) => {
    if (requireKmsKey(view, c.kmsId, c.keyId) === 'Destroyed') refuse('KMS_KEY_STATE', `Key ${c.keyId} is already destroyed.`);
  },
};
