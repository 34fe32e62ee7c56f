'use client';
// The object page area: shows the page the URL hash names (#/vm/db-01), so reload and Back keep the learner's place.
import { KeyMap } from '../components/key-map/key-map';
import { useLabSelector, useWholeLabView } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';
import type { Route } from '../navigation';
import { DatastorePage } from '../pages/datastore-page';
import { HostPage } from '../pages/host-page';
import { KmsPage } from '../pages/kms-page';
import { ProvidersPage } from '../pages/providers-page';
import { VcenterPage } from '../pages/vcenter-page';
import { VmPage } from '../pages/vm-page';
import { objectDirectory } from './object-directory';

function KeyMapPage({ navigate }: { navigate: (route: Route) => void }) {
  const view = useWholeLabView();
  const directory = useLabSelector(objectDirectory, sameData);
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

/** Each page reads the lab and its view from the workspace's LabProvider. */
export function ObjectArea({ route, navigate }: { route: Route; navigate: (route: Route) => void }) {
  const props = { navigate };
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
