'use client';
// The object page area: shows the page the URL hash names (#/vm/db-01), so reload and Back keep the learner's place.
import type { Lab, LabView } from '@/machines/lab-types';
import { KeyMap } from '../components/key-map/key-map';
import type { Route } from '../navigation';
import { VcenterPage } from '../pages/vcenter-page';
import { objectDirectory } from './object-directory';

interface PageProps {
  lab: Lab;
  view: LabView;
  id?: string;
  navigate: (route: Route) => void;
}

// Placeholder until the object pages helper's page lands; the route, heading and id are already right.
function Pending({ kind, id }: { kind: string; id?: string }) {
  return (
    <div>
      <h1 className="text-xl font-semibold">
        {kind} {id ?? ''}
      </h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">This page is not available in this build yet.</p>
    </div>
  );
}
const ProvidersPage = (p: PageProps) => <Pending kind="Key Providers" id={p.id} />;
const HostPage = (p: PageProps) => <Pending kind="Host" id={p.id} />;
const VmPage = (p: PageProps) => <Pending kind="Virtual machine" id={p.id} />;
const KmsPage = (p: PageProps) => <Pending kind="KMS node" id={p.id} />;
const DatastorePage = (p: PageProps) => <Pending kind="Datastore" id={p.id} />;

function KeyMapPage({ view, navigate }: PageProps) {
  const directory = objectDirectory(view);
  return (
    <KeyMap
      view={view}
      headingLevel={1}
      onSelectObject={(objectId) => {
        const route = directory.get(objectId)?.route;
        if (route) navigate(route);
      }}
    />
  );
}

export function ObjectArea({ lab, view, route, navigate }: { lab: Lab; view: LabView; route: Route; navigate: (route: Route) => void }) {
  const props = { lab, view, navigate };
  switch (route.kind) {
    case 'vcenter':
      return <VcenterPage {...props} />;
    case 'providers':
      return <ProvidersPage {...props} id={route.id} />;
    case 'keymap':
      return <KeyMapPage {...props} />;
    case 'host':
      return <HostPage {...props} id={route.id} />;
    case 'vm':
      return <VmPage {...props} id={route.id} />;
    case 'kms':
      return <KmsPage {...props} id={route.id} />;
    case 'datastore':
      return <DatastorePage {...props} id={route.id} />;
  }
}
