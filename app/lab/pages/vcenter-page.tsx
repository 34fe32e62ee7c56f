'use client';
// The vCenter Server page: what this vCenter's database holds, and the faults around it (stop and start, destroy,
// deploy a new one, add hosts back, switch user). Destroying asks first: the database is lost for good, as in a real disaster.
import type { ReactNode } from 'react';
import { disabledReason as ruleReason } from '@/machines/commands/preconditions';
import type { LabView } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../components/action-feedback/confirmed-action-button';
import { OnlyWhereItApplies } from '../components/action-feedback/only-where-it-applies';
import { Badge } from '../components/ui/badge';
import { hostStateWords } from '../format';
import { ActionRow, DataTable, Facts, Mono, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { useLab, usePageLab, useWholeLabView } from '../hooks/lab-context';
import { VsphereVersionSection } from './vcenter/vsphere-version';

function DestroyVcenter({ onDone, disabledReason }: { onDone: () => void; disabledReason: string | null }) {
  const lab = useLab();
  return (
    <ConfirmedActionButton
      disabledReason={disabledReason}
      title="Destroy vCenter Server?"
      description="The vCenter appliance and its database are lost: inventory, key providers (and any NKP that was never backed up), the key database, events. Hosts, VMs and datastores keep running."
      details={<p className="text-sm">This cannot be undone. A new vCenter can be deployed afterwards, empty.</p>}
      confirmLabel="Destroy vCenter"
      runningLabel="Destroying…"
      run={() => lab.dispatch({ type: 'vcenter.destroy' })}
      onSuccess={onDone}
    >
      Destroy vCenter…
    </ConfirmedActionButton>
  );
}

type VcenterStatus = LabView['vcenterStatus'];

type VcenterCommandType = 'vcenter.destroy' | 'vcenter.stop' | 'vcenter.start' | 'vcenter.deploy';

/** The lab's own rule and wording: an action is disabled when the vCenter's state leaves it nothing to do. */
function nothingToDo(view: LabView, type: VcenterCommandType): string | null {
  return ruleReason(view, { type }, ['VCENTER_DESTROYED', 'VCENTER_NOT_RUNNING', 'VCENTER_NOT_STOPPED', 'VCENTER_EXISTS']);
}

/** Stop, start or deploy: the learner's next step (primary) in the state named by `primaryWhen`. */
function VcenterAction(props: { type: Exclude<VcenterCommandType, 'vcenter.destroy'>; primaryWhen?: VcenterStatus; title?: string; children: ReactNode }) {
  const { type } = props;
  const lab = useLab();
  const view = useWholeLabView();
  return (
    <ActionButton variant={view.vcenterStatus === props.primaryWhen ? 'primary' : 'secondary'} run={() => lab.dispatch({ type })} disabledReason={nothingToDo(view, type)} title={props.title}>
      {props.children}
    </ActionButton>
  );
}

/** Always mounted at the same place, so the outcome of Deploy / Destroy stays visible after the page changes shape. */
function VcenterActions({ navigate }: Pick<ObjectPageProps, 'navigate'>) {
  const view = useWholeLabView();
  return (
    <Section title="Actions">
      <ActionRow label="vCenter actions">
        <VcenterAction type="vcenter.stop" title="The appliance goes down (powered off or unreachable); its database stays intact.">
          Stop vCenter
        </VcenterAction>
        <VcenterAction type="vcenter.start" primaryWhen="stopped">
          Start vCenter
        </VcenterAction>
        <VcenterAction type="vcenter.deploy" primaryWhen="destroyed">
          Deploy new vCenter
        </VcenterAction>
        {/* Last: the disaster drill is not the first thing a newcomer meets on the page. */}
        <DestroyVcenter onDone={() => navigate({ kind: 'vcenter' })} disabledReason={nothingToDo(view, 'vcenter.destroy')} />
      </ActionRow>
    </Section>
  );
}

export function VcenterPage({ navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const vc = view.vcenter;
  if (!vc && view.vcenterStatus === 'stopped') {
    return (
      <div>
        <PageHeader kind="vCenter Server" title="vCenter Server is down" badges={<Badge tone="warning">Stopped</Badge>}>
          The appliance is off or unreachable; its database is intact. Hosts keep running their VMs with the keys in their
          memory. A host that reboots reads a Native Key Provider’s KDK back from its encrypted configuration (TPM or not)
          and starts those VMs alone; a standard provider’s keys come back only through vCenter, so such a VM on a
          rebooted host cannot power on until it is back. Start vCenter to bring it back as it was.
        </PageHeader>
        <VcenterActions navigate={navigate} />
      </div>
    );
  }
  if (!vc) {
    return (
      <div>
        <PageHeader kind="vCenter Server" title="No vCenter Server" badges={<Badge tone="danger">Destroyed</Badge>}>
          The vCenter appliance is gone. Hosts keep running the VMs they had, and the datastores keep every VM’s files.
          Deploy a new vCenter: it starts empty (no hosts, no key providers, no key database).
        </PageHeader>
        <VcenterActions navigate={navigate} />
      </div>
    );
  }
  const defaultProvider = vc.keyProviders.find((p) => p.id === vc.defaultProviderId);
  const providerName = (id: string) => vc.keyProviders.find((p) => p.id === id)?.name ?? id;
  const vmName = (id: string | null) => (id ? (view.vms.find((v) => v.id === id)?.name ?? id) : '—');
  const current = vc.users.find((u) => u.name === vc.currentUser);
  const outside = view.hosts.filter((h) => h.connection === 'removed');

  return (
    <div>
      <PageHeader
        kind="vCenter Server"
        title={vc.name}
        badges={
          <>
            <Badge tone="success">Running</Badge>
            <Badge tone="info">vSphere {vc.version}</Badge>
          </>
        }
      >
        Deployment {vc.generation}
        {vc.generation > 1 ? ' (redeployed: a fresh database, everything in it was added since)' : ''}.
      </PageHeader>

      <VcenterActions navigate={navigate} />

      <Section title="Summary">
        <Facts
          items={[
            ['vSphere version', vc.version],
            ['Datacenter', vc.datacenter],
            ['Cluster', vc.cluster],
            ['Hosts', `${vc.hostIds.length}`],
            ['Registered VMs', `${vc.registeredVmIds.length}`],
            ['Key providers', `${vc.keyProviders.length}`],
            ['Default key provider', defaultProvider ? defaultProvider.name : 'None set'],
            ['Signed in as', current ? `${current.name} (${current.role})` : vc.currentUser],
          ]}
        />
      </Section>

      <VsphereVersionSection view={view} vc={vc} />

      <Section
        title="Hosts"
        description={
          outside.length > 0
            ? 'ESXi hosts this lab has. A host not in vCenter keeps running; add it back to manage it. (A real Add Host asks for the host’s root credentials and confirms its certificate; the lab skips both.)'
            : `ESXi hosts this lab has; all are in ${vc.cluster}.`
        }
      >
        <DataTable
          caption="Hosts"
          headers={['Host', 'State', 'In vCenter', 'Action']}
          empty="No hosts."
          rows={view.hosts.map((h) => [
            <ObjectLink key="n" route={{ kind: 'host', id: h.id }} navigate={navigate}>
              {h.name}
            </ObjectLink>,
            hostStateWords(h).join(', ') || 'connected, powered on',
            h.connection === 'removed' ? 'No' : 'Yes',
            // Only a host outside vCenter can be added to the cluster: the others get no button at all.
            <OnlyWhereItApplies key="a" applies={h.connection === 'removed'}>
              <ActionButton
                run={() => lab.dispatch({ type: 'host.add', hostId: h.id })}
                disabledReason={h.connection === 'removed' ? null : 'Already in vCenter.'}
              >
                Add {h.name} to {vc.cluster}
              </ActionButton>
            </OnlyWhereItApplies>,
          ])}
        />
      </Section>

      <Section
        title="Key database"
        description="vCenter keeps key IDs only; the key material stays with the KMS (or, for NKP, is derived from the KDK). How a new vCenter refills these records (hosts reporting the keys they hold as they join, a VM registered from its files, an unlock or power-on vCenter vouches for) is the lab’s model: vSphere does not document it."
      >
        <DataTable
          caption="vCenter key database"
          headers={['Key ID', 'Provider', 'VM']}
          empty="Empty: no keys known to this vCenter."
          rows={vc.keyDatabase.map((k) => [<Mono key="k">{k.keyId}</Mono>, providerName(k.providerId), vmName(k.vmId)])}
        />
      </Section>

      <Section title="Users and roles" description="Cryptographic operations need the Cryptographer.* privileges.">
        <DataTable
          caption="Users"
          headers={['User', 'Role', 'Cryptographer privileges', '']}
          empty="No users."
          rows={vc.users.map((u) => {
            const crypto = u.privileges.filter((p) => p.startsWith('Cryptographer.'));
            return [
              u.name,
              u.role,
              crypto.length === 0 ? 'none' : `${crypto.length} (${crypto.map((p) => p.replace('Cryptographer.', '')).join(', ')})`,
              u.name === vc.currentUser ? (
                <Badge key="b" tone="info">Signed in</Badge>
              ) : (
                <ActionButton key="b" run={() => lab.dispatch({ type: 'user.switch', userName: u.name })}>
                  Sign in as {u.name}
                </ActionButton>
              ),
            ];
          })}
        />
      </Section>
    </div>
  );
}
