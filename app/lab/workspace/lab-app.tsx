'use client';
// The /lab page's client root: follows this tab's lab session and shows the workspace once the lab is open.
// The workspace's code is fetched while the engine opens the lab, so neither is part of the page's first load.
import dynamic from 'next/dynamic';
import { useEffect } from 'react';
import { useLabSession } from '../hooks/use-lab-session';
import { downloadBytes } from '../pages/providers/download';
import { getLabSession, type LabErrorKind } from '../session/tab-lab-session';
import { LabErrorBoundary } from './lab-error-boundary';
import { ElsewhereScreen, ErrorScreen, OpeningScreen } from './session-screens';
import { ResetLab } from './reset-lab';

const loadWorkspace = () => import('./workspace');
const SandboxDock = dynamic(() => import('../lessons/sandbox-dock').then((m) => m.SandboxDock), { ssr: false });
const Workspace = dynamic(loadWorkspace, {
  ssr: false,
  loading: () => <OpeningScreen message="Loading the workspace…" />,
});

/** The damaged saved lab (or, when its record is missing, everything stored) as a file the learner keeps. */
async function downloadFor(kind: LabErrorKind): Promise<void> {
  const session = getLabSession();
  const file = kind === 'missing' ? await session.storedWorldDownload() : await session.savedLabDownload();
  if (!file) throw new Error('There is no saved lab to download.');
  downloadBytes(new TextEncoder().encode(file.text), file.fileName, 'application/json');
}

export function LabApp() {
  const state = useLabSession();
  useEffect(() => {
    void loadWorkspace();
  }, []);
  const session = () => getLabSession();
  switch (state.status) {
    case 'open':
      return (
        <LabErrorBoundary
          key={state.openedAt}
          onError={(error) => session().workspaceFailed(error)}
          fallback={<OpeningScreen message="Closing the lab safely…" />}
        >
          <Workspace
            lab={state.lab}
            title={state.title}
            resetControl={<ResetLab onReset={() => void session().reset()} />}
            dock={(navigate) => <SandboxDock lab={state.lab} navigate={navigate} />}
            rewind={{
              goBack: (toSeq) => void session().rewind(toSeq),
              redo: () => session().redo(),
              notice: state.notice ?? null,
              dismissNotice: () => session().dismissNotice(),
            }}
          />
        </LabErrorBoundary>
      );
    case 'error':
      return (
        <ErrorScreen
          title={state.title}
          message={state.message}
          problems={state.problems}
          kind={state.kind}
          onRetry={() => session().retry()}
          onReset={() => void session().reset()}
          onDownload={() => downloadFor(state.kind)}
        />
      );
    case 'elsewhere':
    case 'handedOver':
      return <ElsewhereScreen handedOver={state.status === 'handedOver'} onTakeOver={() => session().takeOver()} />;
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message="Opening the lab…" />;
  }
}
