// Owns a lesson's lab in this tab: its own database (so the sandbox and every lesson keep their own world),
// the cross-tab lock for that lesson, opening it (the prelude on first start), restarting it, closing it when the learner
// leaves its page, and the LessonRun that follows the learner. React reads it through useLessonSession(); nothing here
// runs during the Node build.
import type { Lab } from '@/machines/lab-types';
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonRun } from '@/machines/lessons/lesson-run';
import type { LessonAttempts } from '@/machines/lessons/attempts';
import { durable } from '../session/durable-lab';
import { StealableSession } from '../session/stealable-session';
import { errorState, type LabErrorKind, type OpenAdvice } from '../session/tab-lab-session';
import { TabLock } from '../session/tab-lock';
import { clearHistory } from '../components/powercli-console/command-history-store';

export type LessonSessionState =
  | { status: 'idle' }
  | { status: 'opening'; message: string }
  | { status: 'elsewhere' }
  | { status: 'handedOver' }
  /** `attempts`: the finished attempts kept from before the last restart (the summary shows them beside this one). */
  | { status: 'open'; lab: Lab; run: LessonRun; lesson: Lesson; openedAt: number; attempts: LessonAttempts }
  /** As the sandbox's: `message` in the learner's words, `problems` what is wrong with a damaged saved lab. */
  | { status: 'error'; title: string; message: string; kind: LabErrorKind; problems: string[] };

// A lesson's way on is Restart lesson (its own lab and progress only), never the sandbox's Reset lab.
const LESSON_ADVICE: OpenAdvice = {
  damaged: 'Restart the lesson to start it again from its first step; the sandbox and your other lessons are not touched.',
  failed:
    'Something in this browser stopped the lesson (the details are in the browser’s console). Try again; if it keeps failing, restart the lesson.',
};

/** The lesson's saved lab or progress is missing or unreadable: what was lost, what is left, and the choices. */
function recordErrorState(err: unknown): Extract<LessonSessionState, { status: 'error' }> | null {
  const e = err as { name?: unknown; problemTexts?: unknown; keptText?: unknown };
  if (!e || e.name !== 'LessonRecordError' || !Array.isArray(e.problemTexts)) return null;
  return {
    status: 'error',
    title: 'Part of this lesson’s saved state is lost',
    message: `${String(e.keptText)} The lesson was not reopened, so that nothing more is lost until you choose.`,
    kind: 'missing',
    problems: e.problemTexts.map(String),
  };
}

const lessonErrorState = (title: string, err: unknown) => recordErrorState(err) ?? errorState(title, err, LESSON_ADVICE);

/** A file name for a download, with the time so two never overwrite each other. */
const stamped = (base: string) => `${base}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;

// Lesson content, the runner and the lab engine load only in the browser, once a lesson is opened. The workspace's and
// the dock's code load with them: a chunk the network drops then fails the open, which Try again fetches anew, and
// never the drawing, where React keeps a failed lazy component's error until the page is reloaded.
async function loadEngine(lessonId: string) {
  const [catalogue, runner, storage, , , diskWorkers] = await Promise.all([
    import('@/lib/lessons'),
    import('@/machines/lessons'),
    import('@/lib/storage/db'),
    import('../workspace/workspace'),
    import('./lesson-dock'),
    import('@/lib/storage/disk-worker/browser'),
  ]);
  // Disk crypto and deep re-keys run in workers from here on, so the page never stalls on them.
  diskWorkers.startDiskWorkers();
  return { lesson: await catalogue.loadLesson(lessonId), runner, storage };
}

// Opening, restarting and closing run one after another (ShownSession's queue), so leaving while the lesson opens
// closes what it opened; leaving the lesson's page (home, another lesson) closes it and start() opens it again.
class LessonSession extends StealableSession<LessonSessionState> {
  protected readonly lock: TabLock;

  constructor(readonly lessonId: string) {
    super({ status: 'idle' }, 'the lesson session');
    this.lock = new TabLock(`keylab-lesson:${lessonId}`, () => {
      // Another tab took the lesson over: stop touching its lab at once.
      if (this.state.status === 'open') {
        this.state.run.dispose();
        this.state.lab.dispose();
      }
      this.closeDb();
      this.set({ status: 'handedOver' });
    });
    window.addEventListener('pagehide', () => {
      if (this.state.status === 'open') {
        void this.state.lab.save().catch(() => undefined);
        void this.state.run.flush();
      }
    });
  }

  /** Restart: this lesson's lab and progress are thrown away and the lesson starts again from its prelude. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      const current = this.state;
      this.set({ status: 'opening', message: 'Restarting the lesson…' });
      try {
        const engine = await loadEngine(this.lessonId);
        const labId = current.status === 'open' ? current.lab.getView().labId : null;
        await this.stopRunning(current, false);
        if (!(await this.holdLock('ifAvailable'))) return;
        const db = engine.storage.openKeylabDb(engine.runner.lessonDbName(this.lessonId));
        this.db = db;
        await engine.runner.resetLesson(db, this.lessonId);
        if (labId) clearHistory(labId);
        await this.open(engine);
      } catch (err) {
        this.set(lessonErrorState('The lesson could not be restarted', err));
      }
    });
  }

  /**
   * The workspace failed to render (the error boundary caught it): the lesson's lab is closed so nothing more is
   * written, and the lesson's error screen takes over with Try again, Restart lesson and Back to lessons.
   */
  workspaceFailed(error: unknown) {
    console.error('keylab: the lesson could not be shown', error);
    const current = this.state;
    if (current.status !== 'open') return;
    current.run.dispose();
    current.lab.dispose();
    this.set({
      status: 'error',
      title: 'The lesson could not be shown',
      message:
        'A page of the lesson failed while it was being drawn, so its lab was closed to keep what is saved safe. Try again; if it keeps failing, restart the lesson.',
      kind: 'failed',
      problems: [],
    });
  }

  /** Everything this lesson left in the browser (lab records, files, disks, the list of keys, the progress as stored), to keep. */
  async download(): Promise<{ fileName: string; text: string }> {
    const engine = await loadEngine(this.lessonId);
    type Db = Parameters<typeof engine.runner.exportLessonData>[0];
    const db = (this.db as Db | null) ?? engine.storage.openKeylabDb(engine.runner.lessonDbName(this.lessonId));
    this.db = db;
    return { fileName: stamped(`keylab-lesson-${this.lessonId}`), text: await engine.runner.exportLessonData(db, this.lessonId) };
  }

  /** Stops the lesson `current` runs, if any (saved first when `save`: the lab's own save is debounced); closes its database. */
  protected async stopRunning(current: LessonSessionState, save: boolean) {
    if (current.status === 'open') {
      await current.run.flush();
      current.run.dispose();
      if (save) await current.lab.save().catch((err: unknown) => console.error('keylab: saving the lesson lab failed', err));
      current.lab.dispose();
    }
    this.closeDb();
  }

  /** This tab holds the lesson's lock (taking it if need be); otherwise the lesson is shown as open elsewhere. */
  private async holdLock(mode: 'ifAvailable' | 'steal'): Promise<boolean> {
    if (this.lock.held || (await this.lock.acquire(mode))) return true;
    this.set({ status: 'elsewhere' });
    return false;
  }

  protected async acquireAndOpen(mode: 'ifAvailable' | 'steal') {
    this.set({ status: 'opening', message: 'Opening the lesson…' });
    try {
      if (!(await this.holdLock(mode))) return;
      await this.open(await loadEngine(this.lessonId));
    } catch (err) {
      this.set(lessonErrorState('The lesson could not be opened', err));
    }
  }

  private async open(engine: Awaited<ReturnType<typeof loadEngine>>) {
    const { lesson, runner, storage } = engine;
    this.set({ status: 'opening', message: `Setting up “${lesson.title}”…` });
    this.closeDb();
    const db = storage.openKeylabDb(runner.lessonDbName(lesson.id));
    this.db = db;
    const { lab, progress } = await runner.openLesson({ db, lesson, wrap: (opened) => durable(opened, 'the lesson lab') });
    const run = new runner.LessonRun(lab, lesson, progress, { save: (p) => runner.saveProgress(db, p) });
    const attempts = await runner.loadAttempts(db, lesson.id).catch(() => runner.NO_ATTEMPTS);
    // Opened without a page in the URL: the lesson starts on its own first page (read by the workspace as it mounts).
    // Not once the learner has left: the URL is another page's then.
    if (lesson.startPage && this.shown && !window.location.hash) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${lesson.startPage}`);
    }
    this.set({ status: 'open', lab, run, lesson, openedAt: Date.now(), attempts });
    void lab.resumeInterrupted().catch((err: unknown) => console.error('keylab: resuming interrupted work failed', err));
  }
}

const sessions = new Map<string, LessonSession>();

export function getLessonSession(lessonId: string): LessonSession {
  let session = sessions.get(lessonId);
  if (!session) {
    session = new LessonSession(lessonId);
    sessions.set(lessonId, session);
  }
  return session;
}
