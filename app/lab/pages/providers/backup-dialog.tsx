'use client';
// "Back up" a Native Key Provider: an optional (recommended) password with confirmation and a strength meter (zxcvbn,
// loaded when the dialog opens; the backup records the same rating for lessons to judge); the .p12
// then downloads for real, under the file name vSphere gives it.
import { useId, useState } from 'react';
import type { Lab, NativeProviderView } from '@/machines/lab-types';
import { useAction } from '../../components/action-feedback/use-action';
import { LABEL_CLASS, TextField } from '../page-parts';
import { downloadBytes } from './download';
import { FormDialogButton } from './form-dialog';
import { PasswordStrengthHint } from './password-strength-hint';

export function BackupProvider({ lab, provider, disabledReason }: { lab: Lab; provider: NativeProviderView; disabledReason: string | null }) {
  const [protect, setProtect] = useState(true);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const ids = { protect: useId(), hint: useId(), saved: useId() };

  let problem: string | null = null;
  if (protect) {
    if (password === '') problem = 'Enter a password, or untick password protection.';
    else if (confirm !== password) problem = 'The two passwords do not match.';
    else if (!saved) problem = 'Confirm that you have saved the password.';
  }

  // The password should not linger in memory once the dialog is closed.
  const forget = () => {
    setPassword('');
    setConfirm('');
    setSaved(false);
  };

  return (
    <FormDialogButton
      label={`Back up ${provider.name}…`}
      variant={provider.backedUp ? 'secondary' : 'primary'}
      disabledReason={disabledReason}
      onClosed={forget}
      title={`Back up Native Key Provider ${provider.name}`}
      description="The backup file (.p12) holds the provider's KDK. Whoever has the file (and its password) can decrypt every VM this provider protects: store both safely, apart."
      submitLabel="Back up key provider"
      submitDisabledReason={problem}
      action={action}
      onSubmit={async () => {
        const file = await lab.exportNkpBackup(provider.id, protect ? password : '');
        downloadBytes(file.bytes, file.fileName);
        return { ok: true, message: `Backed up: ${file.fileName} downloaded.` };
      }}
    >
      <div className="flex items-start gap-2">
        <input id={ids.protect} type="checkbox" className="mt-1" checked={protect} onChange={(e) => setProtect(e.target.checked)} />
        <label htmlFor={ids.protect} className={LABEL_CLASS}>
          Protect Native Key Provider data with password (Recommended)
        </label>
      </div>
      {protect ? (
        <>
          <TextField label="Password" type="password" autoComplete="new-password" value={password} onChange={setPassword} aria-describedby={ids.hint}>
            <PasswordStrengthHint id={ids.hint} password={password} providerName={provider.name} />
          </TextField>
          <TextField label="Confirm password" type="password" autoComplete="new-password" value={confirm} onChange={setConfirm}>
            {confirm !== '' && confirm !== password ? (
              <p className="text-xs text-red-800 dark:text-red-300">The passwords do not match.</p>
            ) : null}
          </TextField>
          <div className="flex items-start gap-2">
            <input id={ids.saved} type="checkbox" className="mt-1" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
            <label htmlFor={ids.saved} className={LABEL_CLASS}>
              I have saved the password in a secure place.
            </label>
          </div>
        </>
      ) : (
        <p className="rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100">
          Without a password the KDK sits in the file unprotected: anyone who copies the file can decrypt your VMs.
        </p>
      )}
    </FormDialogButton>
  );
}
