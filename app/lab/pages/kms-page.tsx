'use client';
// A KMS node (a KMIP server): its status, its keys and their states, replication to its peers, and the faults:
// down (connection refused at once), hung (no answer: vCenter waits, then tries the next node), restore, and lost for
// good (its disk with it). Each fault's disabled reason is its command's precondition.
import { disabledReason } from '@/machines/commands/preconditions';
import type { KmsNodeView, LabView } from '@/machines/lab-types';
import { ActionButton } from '../components/action-feedback/action-button';
import { ConfirmedActionButton } from '../components/action-feedback/confirmed-action-button';
import { PendingWaits } from '../components/pending-waits/pending-waits';
import { Badge } from '../components/ui/badge';
import { formatLabTime, kmsStatusLabel } from '../format';
import { KeyAdminActions } from './kms/key-admin-actions';
import { ActionRow, DataTable, Facts, Mono, NotFound, ObjectLink, ObjectLinks, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { usePageLab } from '../hooks/lab-context';

// The node's faults and the way back; each is refused while the node is already in the state it would bring.
const FAULTS = [
  { type: 'kms.down', label: 'Take down', variant: 'danger' },
  { type: 'kms.hang', label: 'Make hung', variant: 'danger' },
  { type: 'kms.restore', label: 'Restore', variant: 'primary' },
] as const;

const FAULT_RULES = ['KMS_ALREADY', 'KMS_LOST'] as const;

/** Who each copy on its way here waits for, and when it arrives. */
function InFlight({ node, view }: { node: KmsNodeView; view: LabView }) {
  const nameOf = (id: string | null) => (id ? (view.kmsNodes.find((k) => k.id === id)?.name ?? id) : 'a peer');
  const statusOf = (id: string | null) => view.kmsNodes.find((k) => k.id === id)?.status ?? 'up';
  return (
    <ul className="flex flex-col gap-1">
      {node.replicationInFlight.map((r) => (
        <li key={r.keyId} className="text-sm">
          <Mono>{r.keyId}</Mono> from {nameOf(r.from)}:{' '}
          {r.arrivesAt === null ? (
            <span className="font-semibold text-amber-800 dark:text-amber-300">
              waiting: {nameOf(r.from)} is {statusOf(r.from)} and sends nothing until it is up again
            </span>
          ) : (
            <span>arrives at {formatLabTime(r.arrivesAt)} (lab time)</span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function KmsPage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const node = view.kmsNodes.find((k) => k.id === id);
  if (!node) return <NotFound what="KMS node" id={id} />;
  const kmsId = node.id;
  const tone = node.status === 'up' ? 'success' : node.status === 'hung' ? 'warning' : 'danger';
  const lost = node.status === 'lost';
  const waitingOnSender = node.replicationInFlight.filter((r) => r.arrivesAt === null).length;
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
        {lost ? ' This node was lost for good: its disk and every key on it are gone, and the keys it had not sent to a peer are gone from the cluster.' : ''}
      </PageHeader>

      <PendingWaits lab={lab} view={view} />

      <Section title="Summary">
        <Facts
          items={[
            ['Status', kmsStatusLabel[node.status]],
            ['KMIP endpoint', `${node.address}, port ${node.port} (KMIP 1.1 over TLS)`],
            ['Peers', <ObjectLinks key="p" navigate={navigate} links={peerLinks} />],
            [
              'Replication lag',
              `${node.replicationLagMs > 0 ? `${(node.replicationLagMs / 1000).toFixed(1)} s` : 'none'} (the lab’s setting: how fast real nodes replicate depends on the KMS product; ask its vendor and test it). It sends its keys to its peers only while it is up.`,
            ],
            [
              'Waiting to replicate here',
              node.pendingReplication.length === 0
                ? 'nothing'
                : `${node.pendingReplication.length} key(s)${waitingOnSender > 0 ? `, ${waitingOnSender} waiting for a sender that is not up` : ''}`,
            ],
            ['Used by key providers', <ObjectLinks key="u" navigate={navigate} links={providerLinks} />],
          ]}
        />
      </Section>

      <Section title="Faults">
        {lost ? (
          <p className="text-sm" data-testid="kms-lost-note">
            {node.name} was lost for good: no fault applies to it any more and nothing brings it back. Its peers carry on with the keys
            that had reached them.
          </p>
        ) : (
        <ActionRow label="KMS node faults">
          {FAULTS.map((f) => (
            <ActionButton key={f.type} variant={f.variant} run={() => lab.dispatch({ type: f.type, kmsId })} disabledReason={disabledReason(view, { type: f.type, kmsId }, FAULT_RULES)}>
              {f.label}
            </ActionButton>
          ))}
          <ConfirmedActionButton
            disabledReason={disabledReason(view, { type: 'kms.lose', kmsId }, FAULT_RULES)}
            title={`Lose ${node.name} for good?`}
            description={`${node.name} never comes back: its appliance and disk are gone, with every key on it. Keys it has not yet sent to a peer are gone from the whole cluster.`}
            details={
              <p className="text-sm">
                {node.keys.length} key(s) on it now. A VM whose key only this node holds locks for good (KeyStateMissingInKMS) once its host
                reboots. This cannot be undone in the lab.
              </p>
            }
            confirmLabel="Lose for good"
            runningLabel="Losing…"
            run={() => lab.dispatch({ type: 'kms.lose', kmsId })}
          >
            Lose for good…
          </ConfirmedActionButton>
        </ActionRow>
        )}
      </Section>

      <Section
        title={`Keys (${node.keys.length})`}
        description="Only Active keys can be used. Revoking, reactivating or destroying a key is the KMS administrator’s act, outside vCenter, and reaches every node of the cluster. Revoked (Deactivated) keeps the material, so the key can be reactivated (a KMS product feature: KMIP itself has no way back from Deactivated). Destroyed is gone for good."
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
              <KeyAdminActions key="a" lab={lab} view={view} kmsId={kmsId} kmsKey={k} vmName={vm?.name ?? null} />,
            ];
          })}
        />
      </Section>

      {node.replicationInFlight.length > 0 ? (
        <Section
          title="Pending replication"
          description="Created on a peer, not here yet: asking this node for them now answers “not found” (KeyStateMissingInKMS). A node sends its keys only while it is up."
        >
          <InFlight node={node} view={view} />
        </Section>
      ) : null}
    </div>
  );
}
