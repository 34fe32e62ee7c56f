'use client';
// "Add > Restore from backup": upload an NKP .p12 and its password into the current vCenter. The provider comes back
// under its old name and key ID, which is what lets locked VMs and datastore files find their keys again. Checking
// the password may take seconds for a file made with many iterations: it shows progress and can be cancelled.
// "Use key provider only with TPM protected ESXi hosts" may be set anew: restoring the same provider without it is the
// fix after "TPM2 Device is Required" on a host without a TPM (the same KDK, so every VM keeps its key).
import { useId, useRef, useState } from 'react';
import type { Lab } from '@/machines/lab-types';
import { useAction } from '../../components/action-feedback/use-action';
import { Button, type ButtonVariant } from '../../components/ui/button';
import { INPUT_CLASS, LABEL_CLASS, TextField } from '../page-parts';
import { FormDialogButton } from './form-dialog';

/** The lab's refusal codes for a bad backup, with what to do about each (the lab's own reason is shown too). */
const advice: Record<string, string> = {
  P12_WRONG_PASSWORD: 'Check the password: it must be the one typed when the backup was made.',
  P12_CORRUPT: 'Choose the .p12 file exactly as it was downloaded; this one is damaged or is not a .p12.',
  P12_NO_KDK: 'This .p12 is not a Native Key Provider backup. Choose the file made by “Back up”.',
  P12_TOO_MANY_ITERATIONS: 'Choose a backup made by keylab’s “Back up”, or make this one again with fewer iterations.',
};

export function RestoreProvider({ lab, disabledReason, variant }: { lab: Lab; disabledReason: string | null; variant?: ButtonVariant }) {
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  /** '' = as the backup says; 'yes' / 'no' set the TPM-only option anew. */
  const [tpmChoice, setTpmChoice] = useState<'' | 'yes' | 'no'>('');
  const action = useAction();
  const fileId = useId();
  const tpmId = useId();
  const tpmHelpId = useId();
  const progressId = useId();
  /** Fraction of the password check done while a restore runs, else null. */
  const [progress, setProgress] = useState<number | null>(null);
  const opening = useRef<AbortController | null>(null);
  const code = action.state.status === 'done' && !action.state.result.ok ? action.state.result.code : null;

  return (
    <FormDialogButton
      label="Restore from backup…"
      variant={variant}
      disabledReason={disabledReason}
      onClosed={() => {
        opening.current?.abort();
        setPassword('');
      }}
      title="Restore Native Key Provider from backup"
      description="Restores the provider (same name, same key ID, same KDK) into this vCenter from its .p12 backup file."
      submitLabel="Restore"
      submitDisabledReason={file ? null : 'Choose the backup file.'}
      action={action}
      afterResult={code && advice[code] ? <p className="text-sm text-slate-800 dark:text-slate-200">{advice[code]}</p> : null}
      onSubmit={async () => {
        if (!file) return { ok: false, code: 'NO_FILE', reason: 'Choose the backup file.' };
        const bytes = new Uint8Array(await file.arrayBuffer());
        const controller = new AbortController();
        opening.current = controller;
        setProgress(0);
        try {
          return await lab.restoreNkpFromBackup(bytes, password, {
            signal: controller.signal,
            onProgress: (done, total) => setProgress(done / total),
            ...(tpmChoice === '' ? {} : { tpmOnly: tpmChoice === 'yes' }),
          });
        } finally {
          opening.current = null;
          setProgress(null);
        }
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={fileId} className={LABEL_CLASS}>
          Backup file (.p12)
        </label>
        <input
          id={fileId}
          type="file"
          accept=".p12,.pfx,application/x-pkcs12"
          className="text-sm file:mr-2 file:rounded file:border file:border-slate-400 file:bg-white file:px-2 file:py-1 file:text-slate-900 dark:file:border-slate-500 dark:file:bg-slate-800 dark:file:text-slate-100"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <TextField label="Password" type="password" autoComplete="off" value={password} onChange={setPassword}>
        <p className="text-xs text-slate-700 dark:text-slate-300">Leave empty if the backup was made without a password.</p>
      </TextField>
      <div className="flex flex-col gap-1">
        <label htmlFor={tpmId} className={LABEL_CLASS}>
          Use key provider only with TPM protected ESXi hosts
        </label>
        <select
          id={tpmId}
          aria-describedby={tpmHelpId}
          className={INPUT_CLASS}
          value={tpmChoice}
          onChange={(e) => setTpmChoice(e.target.value as '' | 'yes' | 'no')}
        >
          <option value="">As saved in the backup</option>
          <option value="yes">Yes: only hosts with TPM 2.0 get the KDK (recommended)</option>
          <option value="no">No: hosts without a TPM get the KDK too</option>
        </select>
        <p id={tpmHelpId} className="text-xs text-slate-700 dark:text-slate-300">
          A host without TPM 2.0 refused with “TPM2 Device is Required” (the host log’s wording)? Restore this same provider with
          “No”: the same KDK, so every VM keeps its key. A new provider would be a new KDK that opens nothing encrypted so far.
        </p>
      </div>
      {progress !== null ? (
        <div className="flex flex-col gap-1" data-testid="restore-progress">
          <label htmlFor={progressId} className={LABEL_CLASS}>
            Checking the password: {Math.floor(progress * 100)}%
          </label>
          <div className="flex items-center gap-2">
            <progress id={progressId} max={1} value={progress} className="h-2 w-full accent-blue-700" />
            <div className="shrink-0 whitespace-nowrap">
              <Button size="sm" onClick={() => opening.current?.abort()}>
                Cancel restore
              </Button>
            </div>
          </div>
        </div>
      ) : null}
    </FormDialogButton>
  );
}
