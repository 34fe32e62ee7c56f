// What a locked VM's banner tells the learner about its key: whether it can come back, and how. A pure function of
// the view, so the banner and a lesson read the same answer. The lock reason alone does not say it: a destroyed key,
// a key that only a lost node held and a key still waiting on its sender all lock with KeyStateMissingInKMS, yet only
// the last comes back by itself; a revoked key (KeyStateNotActiveOrEnabled) comes back when the KMS administrator
// reactivates it.
import type { LabView, VmView } from '../lab-types';

export type KeyFate =
  /** Destroyed on the KMS (KMIP Destroy): its material is gone from every node. */
  | 'destroyed'
  /** Only a KMS node that was lost for good held it. */
  | 'lostWithNode'
  /** Revoked (Deactivated): the KMS keeps it and will not hand it out until reactivated. */
  | 'revoked'
  /** Held (Active) only by nodes that are not up: the others get no copy until the sender is up again. */
  | 'awaitingSender'
  /** An up node holds it Active: unlocking works now. */
  | 'available'
  /** Anything else: the provider, a KMS node or the NKP must come back. */
  | 'unavailable';

export interface LockAdvice {
  fate: KeyFate;
  /** The one thing to do (or the bad news), in the learner's words. */
  text: string;
}

function keyIdOf(vm: VmView): string | null {
  return vm.encryption?.keyId ?? vm.homeEncryption?.keyId ?? null;
}

export function keyFate(view: LabView, keyId: string): KeyFate {
  const holders = view.kmsNodes.filter((n) => n.keys.some((k) => k.keyId === keyId));
  const records = holders.flatMap((n) => n.keys.filter((k) => k.keyId === keyId));
  if (records.some((k) => k.state === 'Destroyed')) return 'destroyed';
  if (records.length > 0 && records.every((k) => k.state !== 'Active' && k.state !== 'PreActive')) return 'revoked';
  if (holders.some((n) => n.status === 'up')) return 'available';
  if (holders.length > 0) return 'awaitingSender';
  const lostWith = view.events.some((e) => e.eventTypeId === 'keylab.kms.Fault' && e.message.includes('lost for good') && e.message.includes(keyId));
  return lostWith ? 'lostWithNode' : 'unavailable';
}

const GONE = 'Only a backup of the KMS taken before the key was lost can bring it back (how depends on the KMS product); without one, this VM’s data cannot be decrypted again.';

export function lockAdvice(view: LabView, vm: VmView): LockAdvice | null {
  if (!vm.locked) return null;
  const keyId = keyIdOf(vm);
  const providerId = vm.encryption?.providerId ?? vm.homeEncryption?.providerId;
  const providerHere = !!view.vcenter?.keyProviders.some((p) => p.id === providerId);
  const kmsFate = keyId && vm.locked.reason !== 'KeyStateManagedByNKP' ? keyFate(view, keyId) : 'unavailable';
  // A key the KMS would hand out helps only through a provider vCenter has configured.
  const fate = kmsFate === 'available' && !providerHere ? 'unavailable' : kmsFate;
  switch (fate) {
    case 'destroyed':
      return { fate, text: `Its key was destroyed on the KMS: the key material is gone for good, and waiting or unlocking will not bring it back. ${GONE}` };
    case 'lostWithNode':
      return { fate, text: `Its key existed only on a KMS node that was lost for good, before it reached any other node: the key is gone from the cluster. ${GONE}` };
    case 'revoked':
      return {
        fate,
        text: 'Its key is revoked (Deactivated) on the KMS: the material is still there, but the KMS will not hand it out. Ask the KMS administrator to reactivate or restore it (whether and how depends on the KMS product; in the lab: the KMS node’s page > Reactivate), then Unlock VM.',
      };
    case 'awaitingSender': {
      const holders = view.kmsNodes.filter((n) => n.keys.some((k) => k.keyId === keyId));
      const names = holders.map((n) => `${n.name} (${n.status})`).join(', ');
      const waiting = view.kmsNodes.filter((n) => n.replicationInFlight.some((r) => r.keyId === keyId)).map((n) => n.name);
      return {
        fate,
        text: `Its key is only on ${names}. A KMS node sends its keys to its peers only while it is up${
          waiting.length > 0 ? `, so ${waiting.join(', ')} will not get it while it is not` : ''
        }: waiting does not help. Bring ${holders[0]!.name} back, then Unlock VM. (Were it lost for good, the key would be gone with it.)`,
      };
    }
    case 'available':
      return { fate, text: 'Its key can be had from the KMS again: Unlock VM (or enable encryption mode on its host), then Power on.' };
    default:
      return {
        fate,
        text: 'It cannot power on until its key is available again (bring the provider or a KMS node back; for NKP, restore it from its .p12 under the same name), then unlock it or enable encryption mode on its host.',
      };
  }
}
