'use client';
// A scenario's lab in the workspace, with the scenario's panel docked beside it, or its session's screens.
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { buttonClass } from '../lab/components/ui/button';
import { LabErrorBoundary } from '../lab/workspace/lab-error-boundary';
import { ElsewhereScreen, ErrorScreen, OpeningScreen } from '../lab/workspace/session-screens';
import { getScenarioSession, type ScenarioOpening } from './scenario-session';
import { useScenarioSession } from './use-scenario-session';

const Workspace = dynamic(() => import('../lab/workspace/workspace'), { ssr: false, loading: () => <OpeningScreen message="Loading the workspace…" /> });
const ScenarioDock = dynamic(() => import('./scenario-dock').then((m) => m.ScenarioDock), { ssr: false });

export function ScenarioLab({ opening }: { opening: ScenarioOpening }) {
  const state = useScenarioSession(opening);
  const session = () => getScenarioSession(opening);
  switch (state.status) {
    case 'open':
      return (
        <LabErrorBoundary key={state.openedAt} onError={(error) => session().workspaceFailed(error)} fallback={<OpeningScreen message="Closing the scenario safely…" />}>
          <Workspace lab={state.lab} title={`Scenario: ${state.opened.concrete.title}`} dock={() => <ScenarioDock lab={state.lab} opened={state.opened} />} />
        </LabErrorBoundary>
      );
    case 'elsewhere':
    case 'handedOver':
      return <ElsewhereScreen handedOver={state.status === 'handedOver'} onTakeOver={() => session().takeOver()} />;
    case 'error':
      return (
        <ErrorScreen
          {...state}
          advice="The sandbox and your lessons are not touched. Try again, or open the scenario’s link again to start it over."
          onRetry={() => session().retry()}
          actions={
            <Link className={buttonClass('secondary', 'md')} href="/">
              Home
            </Link>
          }
        />
      );
    case 'opening':
      return <OpeningScreen message={state.message} />;
    default:
      return <OpeningScreen message="Opening the scenario…" />;
  }
}
