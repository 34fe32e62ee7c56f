'use client';
// What the KMS administrator can do to one key, outside vCenter: revoke it (KMIP Revoke: Deactivated, kept but no
// longer handed out), reactivate a revoked one (a KMS product's feature: KMIP has no way back from Deactivated), or
// destroy it (KMIP Destroy: the material is gone from the whole cluster). Destroying asks first, naming the VM whose
// data would then depend on a key that no longer exists. Each button's reason comes from the command's precondition.
import { disabledReason } from '@/machines/commands/preconditions';
import type { Lab, KmsNodeView, LabView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../../components/action-feedback/confirmed-action-button';
import { OnlyWhereItApplies } from '../../components/action-feedback/only-where-it-applies';
import { shortId } from '../../format';

type KmsKey = KmsNodeView['keys'][number];

const KEY_RULES = ['KMS_KEY_STATE', 'KMS_LOST'] as const;

export function KeyAdminActions({ lab, view, kmsId, kmsKey, vmName }: { lab: Lab; view: LabView; kmsId: string; kmsKey: KmsKey; vmName: string | null }) {
  const { keyId, state } = kmsKey;
  const revoke = { type: 'kms.revokeKey', kmsId, keyId } as const;
  const reactivate = { type: 'kms.reactivateKey', kmsId, keyId } as const;
  const destroy = { type: 'kms.destroyKey', kmsId, keyId } as const;
  return (
    <div className="flex flex-wrap items-start gap-2">
      {/* Both stay mounted: the one just clicked keeps its outcome on screen while the other takes its place. */}
      <OnlyWhereItApplies applies={state === 'Active' || state === 'PreActive'}>
        <ActionButton run={() => lab.dispatch(revoke)} disabledReason={disabledReason(view, revoke, KEY_RULES)}>
          Revoke<span className="sr-only"> key {keyId}</span>
        </ActionButton>
      </OnlyWhereItApplies>
      <OnlyWhereItApplies applies={state === 'Deactivated'}>
        <ActionButton
          run={() => lab.dispatch(reactivate)}
          disabledReason={disabledReason(view, reactivate, KEY_RULES)}
          title="A KMS product feature (re-enable, or restore from the KMS’s backup): KMIP itself has no way from Deactivated back to Active."
        >
          Reactivate<span className="sr-only"> key {keyId}</span>
        </ActionButton>
      </OnlyWhereItApplies>
      <ConfirmedActionButton
        ariaLabel={`Destroy key ${keyId}…`}
        disabledReason={disabledReason(view, destroy, KEY_RULES)}
        title={`Destroy key ${shortId(keyId)}?`}
        description={`KMIP Destroy on every node of the cluster: the key material is gone for good; no one can reactivate it.${
          vmName ? ` ${vmName} is encrypted with it: once its host forgets the key (a reboot), nothing can unlock it again.` : ''
        }`}
        details={
          <div className="flex flex-col gap-2 text-sm">
            <p>
              VMware advises keeping old keys: a backup, a replica or a DR copy made with this key still needs it. To stop the
              KMS handing it out, Revoke instead (it can be reactivated). Destroy only once every copy made with it has expired.
            </p>
            <p className="font-mono text-xs break-all">{keyId}</p>
          </div>
        }
        confirmLabel="Destroy key"
        runningLabel="Destroying…"
        run={() => lab.dispatch(destroy)}
      >
        Destroy…
      </ConfirmedActionButton>
    </div>
  );
}
