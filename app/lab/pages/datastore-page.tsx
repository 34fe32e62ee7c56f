'use client';
// A datastore: shared storage that outlives vCenter and hosts. Browse each VM folder (the .vmx with its encryption
// fields highlighted) and "Register VM" from a folder into the current vCenter, on a chosen host (doomsday B).
import { useState } from 'react';
import { ActionButton } from '../components/action-feedback/action-button';
import { DatastoreBrowser } from '../components/datastore-browser/datastore-browser';
import { formatBytes } from '../format';
import { ActionRow, DataTable, Facts, InlineSelect, NotFound, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';
import { usePageLab } from '../hooks/lab-context';

export function DatastorePage({ id, navigate }: ObjectPageProps) {
  const { lab, view } = usePageLab();
  const ds = view.datastores.find((d) => d.id === id);
  const [folderChoice, setFolderChoice] = useState('');
  const [hostChoice, setHostChoice] = useState('');
  if (!ds) return <NotFound what="datastore" id={id} />;

  const vmIn = (folder: string) => view.vms.find((v) => v.datastoreId === ds.id && v.folder === folder);
  const unregistered = ds.folders.filter((f) => !vmIn(f)?.registered);
  const folder = unregistered.includes(folderChoice) ? folderChoice : (unregistered[0] ?? '');
  const hosts = view.hosts.filter((h) => h.connection === 'connected');
  const host = hosts.some((h) => h.id === hostChoice) ? hostChoice : (hosts[0]?.id ?? '');
  const registerBlocked = !view.vcenter
    ? 'There is no vCenter: deploy one first.'
    : unregistered.length === 0
      ? 'Every VM on this datastore is already registered.'
      : hosts.length === 0
        ? 'No host is connected to vCenter: add a host first.'
        : null;

  return (
    <div>
      <PageHeader kind="Datastore" title={ds.name}>
        Shared storage: each VM’s folder (its .vmx, disk descriptor and encrypted disk) survives the loss of vCenter or a host.
      </PageHeader>

      <Section title="Summary">
        <Facts
          items={[
            ['Capacity', formatBytes(ds.capacityBytes)],
            ['VM folders', `${ds.folders.length}`],
          ]}
        />
        <div className="mt-2">
          <DataTable
            caption={`VM folders on ${ds.name}`}
            headers={['Folder', 'VM', 'Registered', 'Encrypted']}
            empty="No VM folders."
            rows={ds.folders.map((f) => {
              const vm = vmIn(f);
              return [
                `${f}/`,
                vm ? (
                  <ObjectLink key="v" route={{ kind: 'vm', id: vm.id }} navigate={navigate}>
                    {vm.name}
                  </ObjectLink>
                ) : (
                  '—'
                ),
                vm?.registered ? 'Yes' : 'No',
                vm?.encryption ? `Yes (${vm.encryption.providerName})` : 'No',
              ];
            })}
          />
        </div>
      </Section>

      <Section
        title="Register VM"
        description="Adds a VM to the current vCenter from its folder. For an encrypted VM vCenter reads the key locator from its files: the key ID (for NKP, vCenter derives the KEK from its KDK and that ID, and checks it opens the VM; another NKP of the same name does not)."
      >
        <ActionRow label="Register VM">
          <InlineSelect
            label="VM folder"
            value={folder}
            onChange={setFolderChoice}
            first={unregistered.length === 0 ? 'No unregistered VM' : undefined}
            options={unregistered.map((f) => ({ value: f, label: `${f}/` }))}
          />
          <InlineSelect
            label="Host"
            value={host}
            onChange={setHostChoice}
            first={hosts.length === 0 ? 'No connected host' : undefined}
            options={hosts.map((h) => ({ value: h.id, label: h.name }))}
          />
          <div>
            <ActionButton
              variant="primary"
              disabledReason={registerBlocked}
              run={() => lab.dispatch({ type: 'vm.register', datastoreId: ds.id, folder, ...(host ? { hostId: host } : {}) })}
            >
              Register VM
            </ActionButton>
          </div>
        </ActionRow>
      </Section>

      <DatastoreBrowser lab={lab} view={view} datastoreId={ds.id} />
    </div>
  );
}
