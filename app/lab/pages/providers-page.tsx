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
        Native Key Provider built into vCenter.
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
          {toRestore.length > 0 ? <RestoreProvider lab={lab} disabledReason={null} variant="primary" /> : null}
          <AddNativeProvider lab={lab} disabledReason={null} variant={toRestore.length > 0 ? 'secondary' : 'primary'} />
          {toRestore.length > 0 ? null : <RestoreProvider lab={lab} disabledReason={null} />}
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
