'use client';
// A virtual machine: summary (power, host, encryption provider, KEK ID, DEK fingerprint, why it is locked), its
// actions with the progress of long work, and three looks inside: the guest console, the disk's sectors, its files.
import { DatastoreBrowser } from '../components/datastore-browser/datastore-browser';
import { GuestConsole } from '../components/guest-console/guest-console';
import { PendingWaits } from '../components/pending-waits/pending-waits';
import { SectorView } from '../components/sector-view/sector-view';
import { Badge } from '../components/ui/badge';
import { Tabs } from '../components/ui/tabs';
import { VsphereTerm } from '../components/ui/vsphere-term';
import { formatBytes } from '../format';
import { Facts, Mono, NotFound, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { EncryptedVmLimits } from './vm/encrypted-vm-limits';
import { OperationProgress } from './vm/operation-progress';
import { VmActions } from './vm/vm-actions';
import { usePageLab } from '../hooks/lab-context';
import { lockAdvice } from '@/machines/view/lock-advice';

export function VmPage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const vm = view.vms.find((v) => v.id === id);
  if (!vm) return <NotFound what="VM" id={id} />;
  const host = view.hosts.find((h) => h.id === vm.hostId);
  const ds = view.datastores.find((d) => d.id === vm.datastoreId);
  const enc = vm.encryption;
  const advice = lockAdvice(view, vm);
  const gone = advice?.fate === 'destroyed' || advice?.fate === 'lostWithNode';

  return (
    <div>
      <PageHeader
        kind="Virtual machine"
        title={vm.name}
        badges={
          <>
            <Badge tone={vm.power === 'on' ? 'success' : 'neutral'}>{vm.power === 'on' ? 'Powered on' : 'Powered off'}</Badge>
            {enc ? <Badge tone="info">Encrypted</Badge> : <Badge>Not encrypted</Badge>}
            {vm.locked ? <Badge tone="danger">Locked (invalid)</Badge> : null}
            {!vm.registered ? <Badge tone="warning">Not registered</Badge> : null}
          </>
        }
      />

      {vm.locked ? (
        <div role="note" className="mb-4 rounded border border-red-400 bg-red-50 p-3 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">
            This VM is locked: <VsphereTerm term={vm.locked.reason} />
            {gone ? <span className="ml-2 rounded bg-red-700 px-1.5 py-0.5 text-xs font-bold text-white">Key gone</span> : null}
          </p>
          <p>{vm.locked.message}</p>
          {advice ? (
            <p className="mt-1" data-testid="lock-advice" data-fate={advice.fate}>
              {advice.text}
            </p>
          ) : null}
        </div>
      ) : null}
      {!vm.registered ? (
        <p className="mb-4 text-sm">
          This VM’s files are on {ds?.name ?? vm.datastoreId}, but the current vCenter does not know it.{' '}
          <ObjectLink route={{ kind: 'datastore', id: vm.datastoreId }} navigate={navigate}>
            Register it from the datastore
          </ObjectLink>
        </p>
      ) : null}

      <OperationProgress lab={lab} vm={vm} />
      <div className="mb-4">
        <PendingWaits lab={lab} view={view} />
      </div>

      <Section title="Summary">
        <Facts
          items={[
            ['Power', vm.power],
            [
              'Host',
              host ? (
                <ObjectLink route={{ kind: 'host', id: host.id }} navigate={navigate}>
                  {host.name}
                </ObjectLink>
              ) : (
                'none'
              ),
            ],
            [
              'Datastore',
              <span key="d">
                <ObjectLink route={{ kind: 'datastore', id: vm.datastoreId }} navigate={navigate}>
                  {ds?.name ?? vm.datastoreId}
                </ObjectLink>{' '}
                / {vm.folder}
              </span>,
            ],
            ['Registered in vCenter', vm.registered ? 'Yes' : 'No'],
            [
              'Encryption',
              enc
                ? `Encrypted with ${enc.providerName} (${enc.providerKind === 'native' ? 'Native Key Provider' : 'standard provider'})`
                : vm.homeEncryption
                  ? `VM home only, with ${vm.homeEncryption.providerName} (${vm.homeEncryption.providerKind === 'native' ? 'Native Key Provider' : 'standard provider'}): .vmx and .nvram encrypted, disks not`
                  : 'Not encrypted',
            ],
            ['KEK key ID', (enc ?? vm.homeEncryption) ? <Mono key="k">{(enc ?? vm.homeEncryption)!.keyId}</Mono> : '—'],
            ['DEK fingerprint', enc ? <Mono key="f">{enc.dekFingerprint}</Mono> : '—'],
            [
              'Locked',
              vm.locked ? (
                <span key="l">
                  <VsphereTerm term={vm.locked.reason} />: {vm.locked.message}
                </span>
              ) : (
                'No'
              ),
            ],
            ['vTPM', vm.vtpm ? 'Present (its secrets are in the .nvram, encrypted with the VM home; the disks only if they are encrypted too)' : 'None'],
            ['Snapshots', `${vm.snapshots}`],
            ['Disk', formatBytes(vm.diskSizeBytes)],
          ]}
        />
      </Section>

      <VmActions lab={lab} view={view} vm={vm} />
      <EncryptedVmLimits key={vm.id} lab={lab} view={view} vm={vm} />

      <Section title="Inside the VM">
        <Tabs
          label={`Inside ${vm.name}`}
          tabs={[
            { id: 'console', label: 'Guest console', content: <GuestConsole key={vm.id} lab={lab} vm={vm} view={view} /> },
            { id: 'sectors', label: 'Disk sectors', content: <SectorView key={vm.id} lab={lab} vm={vm} view={view} /> },
            { id: 'files', label: 'Files', content: <DatastoreBrowser key={vm.id} lab={lab} view={view} datastoreId={vm.datastoreId} folder={vm.folder} /> },
          ]}
        />
      </Section>
    </div>
  );
}
