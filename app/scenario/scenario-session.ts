// Owns a scenario's lab in this tab, as LessonSession does a lesson's: its own database (named after the scenario and
// the learner's seed), the cross-tab lock for it, opening it (the prelude on first start), starting it over, closing it
// when the learner leaves the page. React reads it through useScenarioSession(); nothing here runs during the build.
import type { ScenarioV2 } from '@/lib/scenario';
import type { Lab } from '@/machines/lab-types';
import type { OpenedScenario } from '@/machines/scenario/open-scenario';
import { durable } from '../lab/session/durable-lab';
import { StealableSession } from '../lab/session/stealable-session';
import { errorState, type LabErrorKind, type OpenAdvice } from '../lab/session/tab-lab-session';
import { TabLock } from '../lab/session/tab-lock';

export type ScenarioSessionState =
  | { status: 'idle' }
  | { status: 'opening'; message: string }
  | { status: 'elsewhere' }
  | { status: 'handedOver' }
  | { status: 'open'; lab: Lab; opened: OpenedScenario; openedAt: number }
  | { status: 'error'; title: string; message: string; kind: LabErrorKind; problems: string[] };

const SCENARIO_ADVICE: OpenAdvice = {
  damaged: 'Start the scenario over from its link; the sandbox and your lessons are not touched.',
  failed: 'Something in this browser stopped the scenario (the details are in the browser’s console). Try again; if it keeps failing, start it over.',
};

/** What to open: a link's (or file's) scenario, started if it is not stored yet, or only what is stored (a reload). */
export interface ScenarioOpening {
  key: string;
  start?: { scenario: ScenarioV2; learnerSeed: string | null };
  /** Throw away what is stored for this scenario first ("Start over"). */
  startOver?: boolean;
}

// The engine (the lab, the scenario opener, Dexie) and the workspace load only in the browser, once a scenario opens.
async function loadEngine() {
  const [opener, storage, lab] = await Promise.all([
    import('@/machines/scenario/open-scenario'),
    import('@/lib/storage/db'),
    import('@/machines/lab'),
    import('../lab/workspace/workspace'),
  ]);
  return { opener, storage, lab };
}

class ScenarioSession extends StealableSession<ScenarioSessionState> {
  protected readonly lock: TabLock;
  private opening: ScenarioOpening;

  constructor(opening: ScenarioOpening) {
    super({ status: 'idle' }, 'the scenario session');
    this.opening = opening;
    this.lock = new TabLock(`keylab-scenario:${opening.key}`, () => {
      if (this.state.status === 'open') this.state.lab.dispose();
      this.closeDb();
      this.set({ status: 'handedOver' });
    });
    window.addEventListener('pagehide', () => {
      if (this.state.status === 'open') void this.state.lab.save().catch(() => undefined);
    });
  }

  /** The next start() opens this (a link opened again in the same tab, answered Continue or Start over). */
  prepare(opening: ScenarioOpening) {
    this.opening = opening;
  }

  /** The scenario's lab as saved, for the learner to keep before starting over; null when there is none. */
  async savedLabDownload(): Promise<{ fileName: string; text: string } | null> {
    const engine = await loadEngine();
    const db = engine.storage.openKeylabDb(engine.opener.scenarioDbName(this.opening.key));
    try {
      const text = await engine.lab.savedLabText(db as never, engine.opener.SCENARIO_LAB_ID);
      return text === undefined ? null : { fileName: `keylab-scenario-lab-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, text };
    } finally {
      db.close();
    }
  }

  workspaceFailed(error: unknown) {
    console.error('keylab: the scenario could not be shown', error);
    const current = this.state;
    if (current.status !== 'open') return;
    current.lab.dispose();
    this.set({
      status: 'error',
      title: 'The scenario could not be shown',
      message: 'A page of the scenario’s lab failed while it was being drawn, so its lab was closed to keep what is saved safe. Try again.',
      kind: 'failed',
      problems: [],
    });
  }

  protected async stopRunning(current: ScenarioSessionState, save: boolean) {
    if (current.status === 'open') {
      if (save) await current.lab.save().catch((err: unknown) => console.error('keylab: saving the scenario lab failed', err));
      current.lab.dispose();
    }
    this.closeDb();
  }

  protected async acquireAndOpen(mode: 'ifAvailable' | 'steal') {
    this.set({ status: 'opening', message: 'Opening the scenario…' });
    try {
      if (!this.lock.held && !(await this.lock.acquire(mode))) {
        this.set({ status: 'elsewhere' });
        return;
      }
      const engine = await loadEngine();
      this.closeDb();
      const db = engine.storage.openKeylabDb(engine.opener.scenarioDbName(this.opening.key));
      this.db = db;
      if (this.opening.startOver) {
        this.set({ status: 'opening', message: 'Starting the scenario over…' });
        await engine.opener.resetScenarioLab(db);
        this.opening = { ...this.opening, startOver: false };
      }
      if (this.opening.start) this.set({ status: 'opening', message: `Setting up “${this.opening.start.scenario.title}”…` });
      const opened = await engine.opener.openScenarioLab({ db, start: this.opening.start, wrap: (lab) => durable(lab, 'the scenario lab') });
      this.set({ status: 'open', lab: opened.lab, opened, openedAt: Date.now() });
      void opened.lab.resumeInterrupted().catch((err: unknown) => console.error('keylab: resuming interrupted work failed', err));
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e?.name === 'ScenarioPreludeError' || e?.name === 'ScenarioLabMissingError') {
        this.set({ status: 'error', title: 'The scenario could not be opened', message: String(e.message), kind: 'failed', problems: [] });
      } else {
        this.set(errorState('The scenario could not be opened', err, SCENARIO_ADVICE));
      }
    }
  }
}

const sessions = new Map<string, ScenarioSession>();

export function getScenarioSession(opening: ScenarioOpening): ScenarioSession {
  let session = sessions.get(opening.key);
  if (!session) {
    session = new ScenarioSession(opening);
    sessions.set(opening.key, session);
  } else {
    session.prepare(opening);
  }
  return session;
}
