'use client';
// What the KMS administrator can do to one key, outside vCenter: revoke it (KMIP Revoke: Deactivated, no longer
// usable) or destroy it (KMIP Destroy: the material is gone from the whole cluster). Destroying asks first, naming the
// VM whose data would then depend on a key that no longer exists.
import type { Lab, KmsNodeView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../../components/action-feedback/confirmed-action-button';
import { shortId } from '../../format';

type KmsKey = KmsNodeView['keys'][number];

export function KeyAdminActions({ lab, kmsId, kmsKey, vmName }: { lab: Lab; kmsId: string; kmsKey: KmsKey; vmName: string | null }) {
  const { keyId, state } = kmsKey;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <ActionButton
        run={() => lab.dispatch({ type: 'kms.revokeKey', kmsId, keyId })}
        disabledReason={state === 'Active' ? null : `Only an Active key can be revoked; this one is ${state}.`}
      >
        Revoke<span className="sr-only"> key {keyId}</span>
      </ActionButton>
      <ConfirmedActionButton
        ariaLabel={`Destroy key ${keyId}…`}
        disabledReason={state === 'Destroyed' ? 'Already destroyed.' : null}
        title={`Destroy key ${shortId(keyId)}?`}
        description={`KMIP Destroy on every node of the cluster: the key material is gone for good.${
          vmName ? ` ${vmName} is encrypted with it: once its host forgets the key (a reboot), nothing can unlock it again.` : ''
        }`}
        details={<p className="font-mono text-xs break-all">{keyId}</p>}
        confirmLabel="Destroy key"
        runningLabel="Destroying…"
        run={() => lab.dispatch({ type: 'kms.destroyKey', kmsId, keyId })}
      >
        Destroy…
      </ConfirmedActionButton>
    </div>
  );
}
