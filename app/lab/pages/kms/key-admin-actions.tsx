'use client';
// What the KMS administrator can do to one key, outside vCenter: revoke it (KMIP Revoke: Deactivated, no longer
// usable) or destroy it (KMIP Destroy: the material is gone from the whole cluster). Destroying asks first, naming the
// VM whose data would then depend on a key that no longer exists.
import { useState } from 'react';
import type { Lab, KmsNodeView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ActionResult } from '../../components/action-feedback/action-result';
import { useAction } from '../../components/action-feedback/use-action';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { shortId } from '../../format';

type KmsKey = KmsNodeView['keys'][number];

export function KeyAdminActions({ lab, kmsId, kmsKey, vmName }: { lab: Lab; kmsId: string; kmsKey: KmsKey; vmName: string | null }) {
  const [confirming, setConfirming] = useState(false);
  const destroy = useAction();
  const { keyId, state } = kmsKey;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <ActionButton
        run={() => lab.dispatch({ type: 'kms.revokeKey', kmsId, keyId })}
        disabledReason={state === 'Active' ? null : `Only an Active key can be revoked; this one is ${state}.`}
      >
        Revoke<span className="sr-only"> key {keyId}</span>
      </ActionButton>
      <div className="flex max-w-xs flex-col items-start gap-1">
        <Button
          variant="danger"
          size="sm"
          disabledReason={state === 'Destroyed' ? 'Already destroyed.' : null}
          onClick={() => setConfirming(true)}
          aria-label={`Destroy key ${keyId}…`}
        >
          Destroy…
        </Button>
        <ActionResult state={destroy.state} compact />
      </div>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Destroy key ${shortId(keyId)}?`}
        description={`KMIP Destroy on every node of the cluster: the key material is gone for good.${
          vmName ? ` ${vmName} is encrypted with it: once its host forgets the key (a reboot), nothing can unlock it again.` : ''
        }`}
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabledReason={destroy.running ? 'Destroying…' : null}
              reasonHidden
              onClick={() => {
                void destroy.run(() => lab.dispatch({ type: 'kms.destroyKey', kmsId, keyId })).then(() => setConfirming(false));
              }}
            >
              Destroy key
            </Button>
          </>
        }
      >
        <p className="font-mono text-xs break-all">{keyId}</p>
      </Dialog>
    </div>
  );
}
