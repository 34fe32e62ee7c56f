'use client';
// A datastore: shared storage that outlives vCenter and hosts. Browse each VM folder (the .vmx with its encryption
// fields highlighted) and "Register VM" from a folder into the current vCenter, on a chosen host (doomsday B).
import { useId, useState } from 'react';
import { ActionButton } from '../components/action-feedback/action-button';
import { DatastoreBrowser } from '../components/datastore-browser/datastore-browser';
import { formatBytes } from '../format';
import { ActionRow, DataTable, Facts, INPUT_CLASS, LABEL_CLASS, NotFound, ObjectLink, PageHeader, Section, type ObjectPageProps } from './page-parts';

export function DatastorePage({ lab, view, id, navigate }: ObjectPageProps) {
  const ds = view.datastores.find((d) => d.id === id);
  const [folderChoice, setFolderChoice] = useState('');
  const [hostChoice, setHostChoice] = useState('');
  const folderId = useId();
  const hostId = useId();
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
        description="Adds a VM to the current vCenter from its folder. For an encrypted VM vCenter reads the key locator (and, for NKP, the KEK wrapped by the KDK) from its files."
      >
        <ActionRow label="Register VM">
          <div className="flex items-center gap-1.5">
            <label htmlFor={folderId} className={`${LABEL_CLASS} text-xs`}>
              VM folder
            </label>
            <select id={folderId} className={`${INPUT_CLASS} py-0.5 text-xs`} value={folder} onChange={(e) => setFolderChoice(e.target.value)}>
              {unregistered.length === 0 ? <option value="">No unregistered VM</option> : null}
              {unregistered.map((f) => (
                <option key={f} value={f}>
                  {f}/
                </option>
              ))}
            </select>
          </div>
          <div className="flex items-center gap-1.5">
            <label htmlFor={hostId} className={`${LABEL_CLASS} text-xs`}>
              Host
            </label>
            <select id={hostId} className={`${INPUT_CLASS} py-0.5 text-xs`} value={host} onChange={(e) => setHostChoice(e.target.value)}>
              {hosts.length === 0 ? <option value="">No connected host</option> : null}
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </div>
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
