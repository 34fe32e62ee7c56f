'use client';
// One key provider: its state as vSphere shows it, what it consists of, and its actions (back up, default, remove).
import type { ReactNode } from 'react';
import type { KeyProviderView, Lab, LabView } from '@/machines/lab-types';
import { namesProviderOnly, usesProviderKeys } from '@/machines/view/provider-users';
import { ActionButton } from '../../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../../components/action-feedback/confirmed-action-button';
import type { Route } from '../../navigation';
import { ActionRow, Facts, Mono, ObjectLinks } from '../page-parts';
import { BackupProvider } from './backup-dialog';
import { KmsNodeOrder } from './kms-node-order';
import { ProviderStatus, providerKindLabel } from './provider-status';

const vmCount = (n: number) => `${n} VM${n === 1 ? '' : 's'}`;

function removeDescription(provider: KeyProviderView, usedBy: number, namingOnly: number): string {
  const users =
    usedBy > 0
      ? `${vmCount(usedBy)} in this lab ${usedBy === 1 ? 'uses' : 'use'} this provider's keys. Without the provider they become locked the next time their keys are needed.`
      : 'No VM in this lab uses this provider’s keys.';
  // Another NKP of this name (another KDK) made those VMs' keys: removing this one takes nothing from them.
  const others =
    namingOnly > 0 && provider.kind === 'native'
      ? ` ${vmCount(namingOnly)} name ${provider.name} in ${namingOnly === 1 ? 'its' : 'their'} files but with another KDK key ID: this provider opens none of them.`
      : '';
  return users + others;
}

function RemoveProvider({ lab, provider, usedBy, namingOnly }: { lab: Lab; provider: KeyProviderView; usedBy: number; namingOnly: number }) {
  return (
    <ConfirmedActionButton
      title={`Remove key provider ${provider.name}?`}
      description={removeDescription(provider, usedBy, namingOnly)}
      details={
        <p className="text-sm">
          {provider.kind === 'native'
            ? 'The KDK is deleted from vCenter. Only a backup (.p12) can bring it back under the same name and key ID.'
            : 'vCenter forgets the KMS cluster; the keys stay on the KMS (vCenter never destroys them).'}
        </p>
      }
      confirmLabel="Remove"
      runningLabel="Removing…"
      run={() => lab.dispatch({ type: 'provider.remove', providerId: provider.id })}
    >
      Remove {provider.name}…
    </ConfirmedActionButton>
  );
}

export function ProviderCard(props: { lab: Lab; view: LabView; provider: KeyProviderView; selected: boolean; navigate: (r: Route) => void }) {
  const { lab, view, provider: p, selected, navigate } = props;
  // Matched by key (an NKP's KDK key ID), as the VMs' files name it: a VM whose files name a provider of this name but
  // another KDK is not opened by this one. The lab reads every VM's files to count them; the vSphere Client cannot
  // tell which VMs use a provider (VMware's NKP Q&A: only each VM's .vmx says).
  const usingIt = view.vms.filter((v) => usesProviderKeys(v, p));
  const namingOnly = view.vms.filter((v) => namesProviderOnly(v, p)).length;
  const usedBy = usingIt.length;
  // vCenter knows only the VMs registered in it; the others' files still name this provider's key on the datastore.
  const registeredUsing = usingIt.filter((v) => v.registered).length;
  const unregisteredUsing = usedBy - registeredUsing;
  const hostName = (id: string) => view.hosts.find((h) => h.id === id)?.name ?? id;
  const headingId = `provider-${p.id}`;

  const facts: [string, ReactNode][] = [['Type', providerKindLabel(p)]];
  if (p.kind === 'native') {
    facts.push(
      ['Key ID', <Mono key="k">{p.keyId}</Mono>],
      ['Backed up', p.backedUp ? 'Yes' : 'No'],
      ['TPM protected hosts only', p.tpmOnly ? 'Yes' : 'No'],
      ['KMIP interface', 'None: VMware products only (vSphere, vSAN). Other systems need a KMS (KMIP).'],
      [
        'Hosts with the KDK',
        <ObjectLinks key="h" navigate={navigate} links={p.hostsWithKdk.map((h) => ({ id: h, route: { kind: 'host', id: h }, name: hostName(h) }))} />,
      ],
    );
  } else {
    facts.push(['KMS nodes (in order)', <KmsNodeOrder key="n" lab={lab} view={view} provider={p} navigate={navigate} />]);
  }
  facts.push([
    'VMs using it',
    unregisteredUsing === 0
      ? `${registeredUsing}`
      : `${registeredUsing} registered in this vCenter; ${unregisteredUsing} more on datastores (not registered) whose files name it`,
  ]);
  if (namingOnly > 0 && p.kind === 'native') {
    facts.push(['Same name, another KDK', `${vmCount(namingOnly)} whose files name ${p.name} with another key ID: this provider does not open ${namingOnly === 1 ? 'it' : 'them'}`]);
  }

  return (
    <article
      aria-labelledby={headingId}
      data-provider={p.name}
      className={`rounded-md border p-3 ${
        selected ? 'border-blue-600 ring-2 ring-blue-600/40 dark:border-sky-400' : 'border-slate-300 dark:border-slate-700'
      } bg-white dark:bg-slate-900`}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="text-base font-semibold">
          {p.name}
        </h3>
        <ProviderStatus provider={p} />
      </div>
      {p.healthMessage ? (
        <p
          className={`mb-2 text-sm ${
            p.health === 'error' ? 'text-red-800 dark:text-red-300' : p.health === 'warning' ? 'text-amber-900 dark:text-amber-200' : 'text-slate-700 dark:text-slate-300'
          }`}
        >
          {p.healthMessage}
        </p>
      ) : null}
      <Facts items={facts} />
      <div className="mt-3">
        <ActionRow label={`Actions for ${p.name}`}>
          {p.kind === 'native' ? <BackupProvider lab={lab} provider={p} disabledReason={null} /> : null}
          <ActionButton
            run={() => lab.dispatch({ type: 'provider.setDefault', providerId: p.id })}
            disabledReason={p.isDefault ? 'Already the default key provider.' : null}
          >
            Set as default
          </ActionButton>
          <RemoveProvider lab={lab} provider={p} usedBy={usedBy} namingOnly={namingOnly} />
        </ActionRow>
      </div>
    </article>
  );
}
