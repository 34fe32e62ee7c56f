'use client';
// "Add Native Key Provider": a name and the TPM-only option, ticked by default as vSphere recommends.
import { useId, useState } from 'react';
import { PROVIDER_NAME_MAX } from '@/machines/commands/preconditions/providers';
import type { Lab } from '@/machines/lab-types';
import { useAction } from '../../components/action-feedback/use-action';
import type { ButtonVariant } from '../../components/ui/button';
import { LABEL_CLASS, TextField } from '../page-parts';
import { FormDialogButton } from './form-dialog';

export function AddNativeProvider({ lab, disabledReason, variant = 'primary' }: { lab: Lab; disabledReason: string | null; variant?: ButtonVariant }) {
  const [name, setName] = useState('');
  const [tpmOnly, setTpmOnly] = useState(true);
  const action = useAction();
  const tpmId = useId();
  return (
    <FormDialogButton
      label="Add Native Key Provider…"
      variant={variant}
      disabledReason={disabledReason}
      title="Add Native Key Provider"
      description="vCenter generates the provider's key derivation key (KDK) itself; no external KMS. It cannot be used until it is backed up."
      submitLabel="Add key provider"
      submitDisabledReason={name.trim() === '' ? 'Enter a name.' : null}
      action={action}
      onSubmit={() => lab.dispatch({ type: 'provider.addNative', name: name.trim(), tpmOnly })}
    >
      <TextField label="Name" maxLength={PROVIDER_NAME_MAX} value={name} onChange={setName} placeholder="e.g. nkp-1" />
      <div className="flex items-start gap-2">
        <input id={tpmId} type="checkbox" className="mt-1" checked={tpmOnly} onChange={(e) => setTpmOnly(e.target.checked)} />
        <div>
          <label htmlFor={tpmId} className={LABEL_CLASS}>
            Use key provider only with TPM protected ESXi hosts (Recommended)
          </label>
          <p className="text-xs text-slate-700 dark:text-slate-300">
            Ticked, hosts without TPM 2.0 never receive the KDK and their crypto operations fail (the host’s log says “TPM2 Device
            is Required”). Unticked, every host gets it; one without a TPM keeps it in its encrypted configuration with that
            configuration’s key on its boot disk. VMware advises unticking it for a cluster that mixes both kinds of host.
          </p>
        </div>
      </div>
    </FormDialogButton>
  );
}
