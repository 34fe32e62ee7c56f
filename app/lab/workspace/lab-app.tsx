'use client';
// The /lab page's client root: follows this tab's lab session and shows the workspace once the lab is open.
// The workspace's code is fetched while the engine opens the lab, so neither is part of the page's first load.
import dynamic from 'next/dynamic';
import { useEffect } from 'react';
import { useLabSession } from '../hooks/use-lab-session';
import { getLabSession } from '../session/lab-session';
import { ElsewhereScreen, ErrorScreen, OpeningScreen } from './session-screens';

const loadWorkspace = () => import('./workspace');
const Workspace = dynamic(loadWorkspace, {
  ssr: false,
  loading: () => <OpeningScreen message="Loading the workspace…" />,
});

export function LabApp() {
  const state = useLabSession();
  useEffect(() => {
    void loadWorkspace();
  }, []);
  const session = () => getLabSession();
  switch (state.status) {
    case 'open':
      return <Workspace key={state.openedAt} lab={state.lab} title={state.title} onReset={() => void session().reset()} />;
    case 'elsewhere':
    case 'handedOver':
      return <ElsewhereScreen handedOver={state.status === 'handedOver'} onTakeOver={() => session().takeOver()} />;
    case 'error':
      return <ErrorScreen title={state.title} message={state.message} onRetry={() => session().retry()} onReset={() => void session().reset()} />;
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message="Opening the lab…" />;
  }
}
