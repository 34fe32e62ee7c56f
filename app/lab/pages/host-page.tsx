'use client';
// An ESXi host: TPM, connection, encryption mode, the keys in its RAM (its key cache), its encrypted configuration
// (host/host-configuration-section.tsx), the VMs it runs, and the faults a learner throws at it, one click each: a
// reboot clears its memory (the configuration stays); clearing the TPM stops it at boot until its recovery key is
// given; a reinstall leaves it nothing; an attacker's copy of its boot disk (host/boot-disk-copy.tsx).
import { disabledReason as ruleReason } from '@/machines/commands/preconditions';
import type { LabCommand, RefusalCode } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { OnlyWhereItApplies } from '../components/action-feedback/only-where-it-applies';
import { Badge } from '../components/ui/badge';
import { TERM_EXPLANATION } from '../components/ui/vsphere-term';
import { cryptoStateLabel, hostStateWords } from '../format';
import { ActionRow, DataTable, Facts, Mono, NotFound, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { usePageLab } from '../hooks/lab-context';
import { BootDiskCopyFault, BootDiskCopyResult } from './host/boot-disk-copy';
import { HostConfigurationSection } from './host/host-configuration-section';

export function HostPage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const host = view.hosts.find((h) => h.id === id);
  if (!host) return <NotFound what="host" id={id} />;
  const providerName = (pid: string) => view.vcenter?.keyProviders.find((p) => p.id === pid)?.name ?? pid;
  const vm = (vid: string) => view.vms.find((v) => v.id === vid);
  const on = host.power === 'on';
  // The lab's own rule and wording, for the refusals that mean there is nothing to do.
  const unless = (command: LabCommand, ...codes: RefusalCode[]) => ruleReason(view, command, codes);
  const hostId = host.id;
  const states = hostStateWords(host);

  return (
    <div>
      <PageHeader
        kind="ESXi host"
        title={host.name}
        badges={
          <>
            {host.configuration.locked ? (
              <Badge tone="danger">Stopped at boot: awaiting recovery key</Badge>
            ) : (
              <Badge tone={on ? 'success' : 'neutral'}>{on ? 'Powered on' : 'Powered off'}</Badge>
            )}
            <Badge tone={host.connection === 'connected' ? 'success' : 'warning'}>
              {host.connection === 'connected' ? 'Connected' : host.connection === 'disconnected' ? 'Disconnected' : 'Not in vCenter'}
            </Badge>
            <Badge tone={host.hasTpm ? 'info' : 'warning'}>{host.hasTpm ? 'TPM 2.0' : 'No TPM'}</Badge>
          </>
        }
      >
        {states.length > 0 ? `This host is ${states.join(', ')}.` : 'Connected to vCenter and running.'}
      </PageHeader>

      <Section title="Summary">
        <Facts
          items={[
            [
              'TPM',
              host.hasTpm
                ? 'TPM 2.0 present: it seals the key of the host’s encrypted configuration, so a copy of the boot disk gives nothing away'
                : 'None: the key of the host’s encrypted configuration lies on the boot disk; the KDK still survives reboots, but a copy of the disk gives it away',
            ],
            ['Connection', host.connection],
            [
              'Encryption mode (cryptoState)',
              <span key="c" className="flex flex-col">
                <span>{cryptoStateLabel[host.cryptoState]}</span>
                <span className="text-xs text-slate-700 dark:text-slate-300" data-testid="term-explanation">
                  {TERM_EXPLANATION.cryptoState}; {host.cryptoState}: {TERM_EXPLANATION[host.cryptoState]}.
                </span>
              </span>,
            ],
            ['Power', host.power],
            ['Running VMs', `${host.runningVmIds.length}`],
          ]}
        />
      </Section>

      <Section
        title="Faults and actions"
        description={`One click each, as a real outage would be: no confirmation. Only the actions that apply to this host now are shown${host.hasTpm ? '' : ' (it has no TPM, so there is no TPM to clear)'}.`}
      >
        <ActionRow label="Host actions">
          <ActionButton run={() => lab.dispatch({ type: 'host.reboot', hostId })} disabledReason={unless({ type: 'host.reboot', hostId }, 'HOST_OFF')}>
            Reboot
          </ActionButton>
          <ActionButton variant="danger" run={() => lab.dispatch({ type: 'host.powerOff', hostId })} disabledReason={unless({ type: 'host.powerOff', hostId }, 'HOST_OFF')}>
            Power off
          </ActionButton>
          <ActionButton variant="primary" run={() => lab.dispatch({ type: 'host.powerOn', hostId })} disabledReason={unless({ type: 'host.powerOn', hostId }, 'HOST_ON')}>
            Power on
          </ActionButton>
          <OnlyWhereItApplies applies={host.connection === 'connected'}>
          <ActionButton
            run={() => lab.dispatch({ type: 'host.disconnect', hostId })}
            disabledReason={unless({ type: 'host.disconnect', hostId }, 'VCENTER_DESTROYED', 'HOST_NOT_CONNECTED')}
          >
            Disconnect
          </ActionButton>
          </OnlyWhereItApplies>
          <OnlyWhereItApplies applies={host.connection === 'disconnected'}>
          <ActionButton
            run={() => lab.dispatch({ type: 'host.connect', hostId })}
            disabledReason={unless({ type: 'host.connect', hostId }, 'VCENTER_DESTROYED', 'VCENTER_DOWN', 'HOST_NOT_DISCONNECTED')}
          >
            Connect
          </ActionButton>
          </OnlyWhereItApplies>
          <OnlyWhereItApplies applies={host.connection !== 'removed'}>
          <ActionButton run={() => lab.dispatch({ type: 'host.remove', hostId })} disabledReason={unless({ type: 'host.remove', hostId }, 'VCENTER_DESTROYED', 'HOST_NOT_IN_INVENTORY')}>
            Remove from inventory
          </ActionButton>
          </OnlyWhereItApplies>
          <OnlyWhereItApplies applies={host.connection === 'removed'}>
          <ActionButton
            variant="primary"
            run={() => lab.dispatch({ type: 'host.add', hostId })}
            disabledReason={unless({ type: 'host.add', hostId }, 'VCENTER_DESTROYED', 'VCENTER_DOWN', 'HOST_IN_INVENTORY')}
          >
            Add to vCenter
          </ActionButton>
          </OnlyWhereItApplies>
          <OnlyWhereItApplies applies={host.hasTpm}>
          <ActionButton
            variant="danger"
            run={() => lab.dispatch({ type: 'host.clearTpm', hostId })}
            disabledReason={unless({ type: 'host.clearTpm', hostId }, 'NO_TPM')}
            title="Resets the TPM's seeds (in the firmware setup; a running host restarts). The host then stops at boot until its configuration is recovered with its recovery key."
          >
            Clear TPM
          </ActionButton>
          </OnlyWhereItApplies>
          <OnlyWhereItApplies applies={!host.configuration.locked}>
          <ActionButton
            variant="danger"
            run={() => lab.dispatch({ type: 'host.reinstall', hostId })}
            title="Installs ESXi anew: the boot device wiped, nothing kept, a new configuration and recovery key. vCenter must push its keys again."
          >
            Reinstall ESXi
          </ActionButton>
          </OnlyWhereItApplies>
          <ActionButton
            run={() => lab.dispatch({ type: 'host.enableEncryptionMode', hostId })}
            disabledReason={
              // Re-enabling it is how vSphere unlocks the host's locked VMs once their provider is back.
              host.cryptoState === 'safe' && !view.vms.some((v) => v.hostId === hostId && v.registered && v.locked)
                ? 'Encryption mode is already on (safe), and no VM on this host is locked.'
                : null
            }
          >
            Enable host encryption mode
          </ActionButton>
          <ActionButton
            run={() => lab.dispatch({ type: 'host.disableEncryptionMode', hostId })}
            disabledReason={host.cryptoState === 'safe' ? null : 'Encryption mode is not on (safe).'}
            title="Safe becomes pendingIncapable, and incapable at the next reboot. Refused while encrypted VMs are registered on the host."
          >
            Disable host encryption mode
          </ActionButton>
        </ActionRow>
        <div className="mt-3">
          <BootDiskCopyFault lab={lab} view={view} host={host} />
        </div>
      </Section>

      <BootDiskCopyResult host={host} />

      <HostConfigurationSection lab={lab} view={view} host={host} providerName={providerName} />

      <Section
        title="Keys in RAM"
        description="Memory only (the key cache): a reboot or power-off clears them; a VM powering off does not. The NKP's KDK comes back from the encrypted configuration at boot."
      >
        <DataTable
          caption={`Keys in ${host.name}'s memory`}
          headers={['Level', 'Key ID', 'Provider', 'Fingerprint']}
          empty="No keys in memory."
          rows={host.ramKeys.map((k) => [
            <Badge key="l" tone={k.level === 'KDK' ? 'info' : 'neutral'}>{k.level}</Badge>,
            <Mono key="k">{k.keyId}</Mono>,
            providerName(k.providerId),
            <Mono key="f">{k.fingerprint}</Mono>,
          ])}
        />
      </Section>

      <Section title="Running VMs">
        {host.runningVmIds.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">No VMs running on this host.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {host.runningVmIds.map((vid) => (
              <li key={vid}>
                <ObjectLink route={{ kind: 'vm', id: vid }} navigate={navigate}>
                  {vm(vid)?.name ?? vid}
                </ObjectLink>
                {vm(vid)?.encryption ? ' (encrypted)' : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
