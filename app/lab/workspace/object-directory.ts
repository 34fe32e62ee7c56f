// Names and pages of every object an id can point at (events, the key map), so the UI shows "esx-01.lab.local"
// with a link instead of a bare id.
import type { LabView } from '@/machines/lab-types';
import type { Route } from '../navigation';

export interface DirectoryEntry {
  name: string;
  route: Route | null;
}

export function objectDirectory(view: LabView): Map<string, DirectoryEntry> {
  const dir = new Map<string, DirectoryEntry>();
  for (const d of view.datastores) dir.set(d.id, { name: d.name, route: { kind: 'datastore', id: d.id } });
  for (const k of view.kmsNodes) dir.set(k.id, { name: k.name, route: { kind: 'kms', id: k.id } });
  for (const v of view.vms) dir.set(v.id, { name: v.name, route: { kind: 'vm', id: v.id } });
  for (const h of view.hosts) dir.set(h.id, { name: h.name, route: { kind: 'host', id: h.id } });
  if (view.vcenter) {
    dir.set(view.vcenter.id, { name: view.vcenter.name, route: { kind: 'vcenter' } });
    for (const p of view.vcenter.keyProviders) dir.set(p.id, { name: p.name, route: { kind: 'providers', id: p.id } });
  }
  return dir;
}
