'use client';
// A KMS node (a KMIP server): its status, its keys and their states, replication to its peers, and the faults:
// down (connection refused at once), hung (no answer: vCenter waits 60 s, then tries the next node), restore.
import { ActionButton } from '../components/action-feedback/action-button';
import { PendingWaits } from '../components/pending-waits/pending-waits';
import { Badge } from '../components/ui/badge';
import { formatLabTime, kmsStatusLabel } from '../format';
import { KeyAdminActions } from './kms/key-admin-actions';
import { ActionRow, DataTable, Facts, Mono, NotFound, ObjectLink, ObjectLinks, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { usePageLab } from '../hooks/lab-context';

// The node's faults and the way back; each is refused while the node is already in the state it would bring.
const FAULTS = [
  { type: 'kms.down', label: 'Take down', variant: 'danger', refusedWhen: 'down', reason: 'The node is already down.' },
  { type: 'kms.hang', label: 'Make hung', variant: 'danger', refusedWhen: 'hung', reason: 'The node is already hung.' },
  { type: 'kms.restore', label: 'Restore', variant: 'primary', refusedWhen: 'up', reason: 'The node is up: nothing to restore.' },
] as const;

export function KmsPage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const node = view.kmsNodes.find((k) => k.id === id);
  if (!node) return <NotFound what="KMS node" id={id} />;
  const kmsId = node.id;
  const tone = node.status === 'up' ? 'success' : node.status === 'hung' ? 'warning' : 'danger';
  const providers = view.vcenter?.keyProviders.filter((p) => p.kind === 'standard' && p.kmsNodeIds.includes(kmsId)) ?? [];
  const peerName = (pid: string) => view.kmsNodes.find((k) => k.id === pid)?.name ?? pid;
  const peerLinks = node.peers.map((p) => ({ id: p, route: { kind: 'kms' as const, id: p }, name: peerName(p) }));
  const vmOfKey = (keyId: string) => view.vms.find((v) => v.encryption?.keyId === keyId);
  const providerLinks = providers.map((p) => ({
    id: p.id,
    route: { kind: 'providers' as const, id: p.id },
    name: p.name,
    note: `(position ${p.kind === 'standard' ? p.kmsNodeIds.indexOf(kmsId) + 1 : '?'})`,
  }));

  return (
    <div>
      <PageHeader kind="KMS node (KMIP server)" title={node.name} badges={<Badge tone={tone}>{kmsStatusLabel[node.status]}</Badge>}>
        {node.address}:{node.port} (KMIP 1.1). vCenter asks it to Create, Activate and Get keys; it never asks it to destroy one.
      </PageHeader>

      <PendingWaits lab={lab} view={view} />

      <Section title="Summary">
        <Facts
          items={[
            ['Status', kmsStatusLabel[node.status]],
            ['KMIP endpoint', `${node.address}, port ${node.port} (KMIP 1.1 over TLS)`],
            ['Peers', <ObjectLinks key="p" navigate={navigate} links={peerLinks} />],
            ['Replication lag', node.replicationLagMs > 0 ? `${(node.replicationLagMs / 1000).toFixed(1)} s` : 'none'],
            ['Waiting to replicate here', node.pendingReplication.length === 0 ? 'nothing' : `${node.pendingReplication.length} key(s)`],
            ['Used by key providers', <ObjectLinks key="u" navigate={navigate} links={providerLinks} />],
          ]}
        />
      </Section>

      <Section title="Faults">
        <ActionRow label="KMS node faults">
          {FAULTS.map((f) => (
            <ActionButton
              key={f.type}
              variant={f.variant}
              run={() => lab.dispatch({ type: f.type, kmsId })}
              disabledReason={node.status === f.refusedWhen ? f.reason : null}
            >
              {f.label}
            </ActionButton>
          ))}
        </ActionRow>
      </Section>

      <Section
        title={`Keys (${node.keys.length})`}
        description="Only Active keys can be used to wrap or unwrap. Revoking or destroying a key is the KMS administrator’s act, outside vCenter, and reaches every node of the cluster."
      >
        <DataTable
          caption={`Keys on ${node.name}`}
          headers={['Key ID', 'State', 'Created (lab time)', 'Fingerprint', 'Used by', 'KMS administrator']}
          empty="No keys on this node."
          rows={node.keys.map((k) => {
            const vm = vmOfKey(k.keyId);
            return [
              <Mono key="k">{k.keyId}</Mono>,
              <Badge key="s" tone={k.state === 'Active' ? 'success' : k.state === 'PreActive' ? 'info' : 'danger'}>
                {k.state}
              </Badge>,
              formatLabTime(k.createdAt),
              <Mono key="f">{k.fingerprint}</Mono>,
              vm ? (
                <ObjectLink key="v" route={{ kind: 'vm', id: vm.id }} navigate={navigate}>
                  {vm.name}
                </ObjectLink>
              ) : (
                '—'
              ),
              <KeyAdminActions key="a" lab={lab} kmsId={kmsId} kmsKey={k} vmName={vm?.name ?? null} />,
            ];
          })}
        />
      </Section>

      {node.pendingReplication.length > 0 ? (
        <Section title="Pending replication" description="Created on a peer, not here yet: asking this node for them now fails with KeyStateMissingInKMS.">
          <ul className="flex flex-col gap-1">
            {node.pendingReplication.map((k) => (
              <li key={k}>
                <Mono>{k}</Mono>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}
