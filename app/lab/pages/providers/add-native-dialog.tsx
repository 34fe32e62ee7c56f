'use client';
// "Add Native Key Provider": a name and the TPM-only option, ticked by default as vSphere recommends.
import { useId, useState } from 'react';
import { PROVIDER_NAME_MAX } from '@/machines/commands/preconditions/providers';
import type { Lab } from '@/machines/lab-types';
import { ActionResult } from '../../components/action-feedback/action-result';
import { useAction } from '../../components/action-feedback/use-action';
import { Button } from '../../components/ui/button';
import { INPUT_CLASS, LABEL_CLASS } from '../page-parts';
import { FormDialog } from './form-dialog';

export function AddNativeProvider({ lab, disabledReason }: { lab: Lab; disabledReason: string | null }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [tpmOnly, setTpmOnly] = useState(true);
  const action = useAction();
  const nameId = useId();
  const tpmId = useId();
  return (
    <div className="flex max-w-xs flex-col items-start gap-1">
      <Button size="sm" variant="primary" disabledReason={disabledReason} onClick={() => setOpen(true)}>
        Add Native Key Provider…
      </Button>
      {!open ? <ActionResult state={action.state} compact /> : null}
      <FormDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Add Native Key Provider"
        description="vCenter generates the provider's key derivation key (KDK) itself; no external KMS. It cannot be used until it is backed up."
        submitLabel="Add key provider"
        submitDisabledReason={name.trim() === '' ? 'Enter a name.' : null}
        action={action}
        onSubmit={() => lab.dispatch({ type: 'provider.addNative', name: name.trim(), tpmOnly })}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className={LABEL_CLASS}>
            Name
          </label>
          <input id={nameId} className={INPUT_CLASS} maxLength={PROVIDER_NAME_MAX} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nkp-1" />
        </div>
        <div className="flex items-start gap-2">
          <input id={tpmId} type="checkbox" className="mt-1" checked={tpmOnly} onChange={(e) => setTpmOnly(e.target.checked)} />
          <div>
            <label htmlFor={tpmId} className={LABEL_CLASS}>
              Use key provider only with TPM protected ESXi hosts (Recommended)
            </label>
            <p className="text-xs text-slate-700 dark:text-slate-300">
              Hosts without TPM 2.0 then never receive the KDK, and their crypto operations fail with “TPM2 Device is Required”.
            </p>
          </div>
        </div>
      </FormDialog>
    </div>
  );
}
