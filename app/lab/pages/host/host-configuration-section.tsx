'use client';
// A host's encrypted configuration on its boot device: how its key is protected (sealed by the TPM, or beside it on
// the boot disk), the KDKs it keeps across reboots, the recovery key as `esxcli system settings encryption recovery
// list` prints it (and keeping it), and, while a cleared TPM keeps the host at boot, recovering with that key.
import { useState, type ReactNode } from 'react';
import { disabledReason as ruleReason } from '@/machines/commands/preconditions';
import type { HostView, Lab, LabCommand, LabView } from '@/machines/lab-types';
import { ActionButton } from '../../components/action-feedback/action-button';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { ActionRow, DataTable, Facts, Mono, Section, TextField } from '../page-parts';

function RecoveryKeyListing({ lab, view, host }: { lab: Lab; view: LabView; host: HostView }) {
  const [shown, setShown] = useState<{ text: string; error: boolean } | null>(null);
  const why = ruleReason(view, { type: 'host.keepRecoveryKey', hostId: host.id }, ['NO_TPM', 'HOST_OFF', 'HOST_CONFIG_LOCKED']);
  return (
    <div className="flex flex-col items-start gap-1.5">
      <Button
        size="sm"
        disabledReason={why}
        onClick={() =>
          void lab.recoveryKeyListing(host.id).then(
            (text) => setShown({ text, error: false }),
            (error: unknown) => setShown({ text: error instanceof Error ? error.message : String(error), error: true }),
          )
        }
      >
        Run esxcli system settings encryption recovery list
      </Button>
      {shown ? (
        shown.error ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">{shown.text}</p>
        ) : (
          <pre
            data-testid="recovery-key-listing"
            className="max-w-full overflow-x-auto rounded border border-slate-300 bg-slate-950 p-2 text-xs whitespace-pre-wrap text-slate-100 [overflow-wrap:anywhere] dark:border-slate-700"
          >
            {shown.text}
          </pre>
        )
      ) : null}
    </div>
  );
}

/**
 * Shown while the host is locked at boot, and after an attempt here, so the outcome stays on screen once the host boots
 * (`onAttempt` is called as a button is pressed: before the view can change).
 */
function RecoverForm({ lab, view, host, onAttempt }: { lab: Lab; view: LabView; host: HostView; onAttempt: () => void }) {
  const [typed, setTyped] = useState('');
  const hostId = host.id;
  const locked = host.configuration.locked;
  const attempt = (command: LabCommand) => () => {
    onAttempt();
    return lab.dispatch(command);
  };
  const keptWhy = ruleReason(view, { type: 'host.recoverConfiguration', hostId }, ['NO_RECOVERY_KEY', 'HOST_CONFIG_NOT_LOCKED']);
  return (
    <div
      role="region"
      aria-label="Recover the configuration"
      className={`mb-3 flex flex-col gap-2 rounded border p-3 ${locked ? 'border-red-400 bg-red-50 dark:border-red-700 dark:bg-red-950' : 'border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900'}`}
    >
      {locked ? (
        <p className="text-sm text-red-950 dark:text-red-100">
          At boot: <strong>“Unable to restore system configuration. A security violation was detected.”</strong> The TPM was cleared, so it no longer unseals
          the configuration key. In the real product you press Shift+O at boot and add the boot option <Mono>encryptionRecoveryKey=</Mono> with the recovery key
          (here: the buttons below). Without the key, the only way back is to reinstall ESXi: the host then holds nothing.
        </p>
      ) : (
        <p className="text-sm text-slate-800 dark:text-slate-200">The host boots again: its configuration is no longer locked.</p>
      )}
      <ActionRow label="Recover the configuration">
        <ActionButton variant="primary" run={attempt({ type: 'host.recoverConfiguration', hostId })} disabledReason={keptWhy} stateKey={hostId}>
          Boot with the kept recovery key
        </ActionButton>
        <ActionButton
          variant="danger"
          run={attempt({ type: 'host.reinstall', hostId })}
          disabledReason={locked ? null : 'The host boots: reinstalling now would only wipe its configuration.'}
          stateKey={hostId}
        >
          Reinstall ESXi
        </ActionButton>
      </ActionRow>
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <TextField label="encryptionRecoveryKey=" value={typed} onChange={setTyped} autoComplete="off" spellCheck={false} placeholder="sixteen groups of six digits, separated by dashes" />
        <ActionRow label="Boot with a typed recovery key">
          <ActionButton
            run={attempt({ type: 'host.recoverConfiguration', hostId, recoveryKey: typed })}
            disabledReason={!locked ? 'The configuration is not locked.' : typed.trim() ? null : 'Type a recovery key first.'}
            stateKey={hostId}
          >
            Boot with this recovery key
          </ActionButton>
        </ActionRow>
      </form>
    </div>
  );
}

export function HostConfigurationSection({ lab, view, host, providerName }: { lab: Lab; view: LabView; host: HostView; providerName: (id: string) => string }) {
  const config = host.configuration;
  const hostId = host.id;
  // Which host was brought back here: its recovery panel stays to show the outcome (until another host is shown).
  const [backHere, setBackHere] = useState<string | null>(null);
  const keepWhy = ruleReason(view, { type: 'host.keepRecoveryKey', hostId }, ['NO_TPM', 'HOST_OFF', 'HOST_CONFIG_LOCKED']);
  const kept = config.recoveryKeyKept ? 'Kept (stored off the host)' : config.keptRecoveryKeyStale ? 'The kept key is of an earlier install: not kept' : 'Not kept';
  return (
    <Section
      title="Encrypted configuration (boot device)"
      description="ESXi 7.0 U2 and later keep the host's secrets, the Native Key Provider's KDK among them, in an encrypted configuration on the boot device: the host reads it back at every boot, with or without a TPM and with or without vCenter."
    >
      {config.locked || backHere === hostId ? <RecoverForm lab={lab} view={view} host={host} onAttempt={() => setBackHere(hostId)} /> : null}
      <Facts
        items={[
          [
            'Configuration key',
            config.protection === 'tpm' ? (
              <Badge tone="success">Sealed by the TPM 2.0</Badge>
            ) : (
              <span className="flex flex-col items-start gap-0.5">
                <Badge tone="warning">On the boot disk (no TPM)</Badge>
                <span className="text-xs text-slate-700 dark:text-slate-300">A copy of this boot disk opens the configuration, and the KDK with it.</span>
              </span>
            ),
          ],
          ['State', config.locked ? <Badge tone="danger">Locked: awaiting recovery key</Badge> : 'Opens at boot'],
          ...(host.hasTpm
            ? ([
                ['Recovery ID', <Mono key="r">{config.recoveryId ?? '—'}</Mono>],
                ['Recovery key', kept],
              ] as [string, ReactNode][])
            : ([['Recovery key', 'None: only a host with a TPM has one (its configuration key is on the boot disk)']] as [string, ReactNode][])),
        ]}
      />
      <div className="mt-2">
        <DataTable
          caption={`Keys kept in ${host.name}'s encrypted configuration`}
          headers={['Level', 'Key ID', 'Provider', 'Fingerprint']}
          empty="No key provider keys in its configuration."
          rows={config.keys.map((k) => [<Badge key="l" tone="info">KDK</Badge>, <Mono key="k">{k.keyId}</Mono>, providerName(k.providerId), <Mono key="f">{k.fingerprint}</Mono>])}
        />
      </div>
      {host.hasTpm ? (
        <div className="mt-3 flex flex-col gap-2">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Keep the recovery key off the host: if the TPM is cleared or replaced (a firmware update, a new motherboard), the host does not boot until its
            configuration is recovered with it.
          </p>
          <RecoveryKeyListing lab={lab} view={view} host={host} />
          <ActionRow label="Recovery key">
            <ActionButton run={() => lab.dispatch({ type: 'host.keepRecoveryKey', hostId })} disabledReason={keepWhy} stateKey={config.recoveryId ?? ''}>
              Keep the recovery key
            </ActionButton>
          </ActionRow>
        </div>
      ) : null}
    </Section>
  );
}
