'use client';
// Key Providers (vCenter > Configure > Security > Key Providers): every provider with its state as vSphere shows it,
// adding a standard provider or a Native Key Provider, restoring an NKP from its .p12, backup, default, removal.
import { useEffect } from 'react';
import { AddNativeProvider } from './providers/add-native-dialog';
import { AddStandardProvider } from './providers/add-standard-dialog';
import { ProviderCard } from './providers/provider-card';
import { RekeyMany } from './providers/rekey-many';
import { RestoreProvider } from './providers/restore-dialog';
import { providersToRestore } from './providers/restore-needed';
import { ActionRow, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { usePageLab } from '../hooks/lab-context';

export function ProvidersPage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const vc = view.vcenter;
  const toRestore = providersToRestore(view);
  // Or a backup (.p12) of a provider this vCenter lacks (a new vCenter after a loss): restoring it is the likely next
  // step, not adding a new NKP, so Restore from backup… is the primary button then.
  const providerKdks = new Set((vc?.keyProviders ?? []).flatMap((p) => (p.kind === 'native' ? [p.keyId] : [])));
  const restoreLikely = view.keyMap.some((k) => k.level === 'KDK' && !providerKdks.has(k.keyId) && k.places.some((p) => p.kind === 'backup-file'));
  const restoreFirst = toRestore.length > 0 || restoreLikely;

  useEffect(() => {
    if (!id) return;
    document.getElementById(`provider-${id}`)?.scrollIntoView({ block: 'nearest' });
  }, [id]);

  if (!vc) {
    return (
      <div>
        <PageHeader kind="Key Providers" title="Key Providers">
          Key providers live in vCenter’s database, and there is no vCenter now.
        </PageHeader>
        <p className="text-sm">
          Deploy a new vCenter first, then restore the Native Key Provider from its backup.{' '}
          <ObjectLink route={{ kind: 'vcenter' }} navigate={navigate}>
            Go to vCenter Server
          </ObjectLink>
        </p>
      </div>
    );
  }

  return (
    <div>
      <PageHeader kind="vCenter Server > Configure > Security" title="Key Providers">
        Keys for VM encryption come from a key provider: a standard provider (external KMS cluster over KMIP) or the
        Native Key Provider built into vCenter. In the vSphere Client this page is vCenter Server &gt; Configure &gt; Security
        &gt; Key Providers; the lab’s inventory node is a shortcut to it. A Native Key Provider’s states are the client’s:
        Not backed up, Warning while vCenter pushes its KDK to the hosts, then Active (older clients showed Ready).
      </PageHeader>
      <Section title="Add">
        {toRestore.length > 0 ? (
          <p className="mb-2 text-sm text-slate-800 dark:text-slate-200" data-testid="restore-advice">
            VMs on the datastore are encrypted with {toRestore.join(', ')}, which this vCenter does not have: Add &gt; Restore from backup brings it
            back with its KDK. A new Native Key Provider would have a new KDK that opens none of them.
          </p>
        ) : null}
        <ActionRow label="Add a key provider">
          <AddStandardProvider lab={lab} view={view} disabledReason={view.kmsNodes.length === 0 ? 'This lab has no KMS nodes.' : null} />
          {restoreFirst ? <RestoreProvider lab={lab} disabledReason={null} variant="primary" /> : null}
          <AddNativeProvider lab={lab} disabledReason={null} variant={restoreFirst ? 'secondary' : 'primary'} />
          {restoreFirst ? null : <RestoreProvider lab={lab} disabledReason={null} />}
        </ActionRow>
      </Section>
      <Section title={`Providers (${vc.keyProviders.length})`} id="providers-list">
        {vc.keyProviders.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">No key providers in this vCenter yet.</p>
        ) : (
          <div className="flex flex-col gap-3">
            {vc.keyProviders.map((p) => (
              <ProviderCard key={p.id} lab={lab} view={view} provider={p} selected={p.id === id} navigate={navigate} />
            ))}
          </div>
        )}
      </Section>
      <Section
        title="Move VMs to a key provider"
        description="A shallow re-key of several VMs in one task, as a migration from a KMS to the Native Key Provider is done: each VM gets a new KEK from the chosen provider and its DEK is wrapped again. No disk data is rewritten, so VMs may stay on."
      >
        <RekeyMany lab={lab} view={view} />
      </Section>
    </div>
  );
}
