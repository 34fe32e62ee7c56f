// A vSphere term shown as the product writes it (KeyStateMissingInCache, cryptoState), with a short plain explanation
// beside it: learners meet the real word and know what it means, without a tooltip they would have to find.
import type { HostCryptoState, UnavailableKeyReason } from '@/machines/lab-types';

export const TERM_EXPLANATION: Record<UnavailableKeyReason | HostCryptoState | 'cryptoState', string> = {
  KeyStateMissingInCache: 'the host does not have the key in its memory and could not get it',
  KeyStateClusterUnreachable: 'vCenter could not reach any KMS node of the key provider',
  KeyStateMissingInKMS: 'no KMS node that answered has this key: not replicated to it yet, destroyed, or lost with a node',
  KeyStateNotActiveOrEnabled: 'the key is on the KMS but not Active (revoked): its material is kept and can be reactivated',
  KeyStateManagedByNKP: 'the key belongs to a Native Key Provider this host may not use (no TPM, or not backed up)',
  cryptoState: 'the host’s encryption mode: whether it may hold keys and run encrypted VMs',
  incapable: 'encryption mode off: it holds no keys',
  prepared: 'ready for keys, none given yet',
  safe: 'encryption mode on: it holds keys and runs encrypted VMs',
  pendingIncapable: 'being turned off; takes effect at the next reboot',
};

export function VsphereTerm({ term, className = '' }: { term: keyof typeof TERM_EXPLANATION; className?: string }) {
  return (
    <span className={className}>
      <code className="font-mono">{term}</code>{' '}
      <span className="text-[0.9em] font-normal text-slate-700 dark:text-slate-300" data-testid="term-explanation">
        ({TERM_EXPLANATION[term]})
      </span>
    </span>
  );
}
