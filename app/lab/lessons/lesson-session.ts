// Owns a lesson's lab in this tab: its own database (so the sandbox and every lesson keep their own world), the
// cross-tab lock for that lesson, opening it (the prelude on first start), restarting it, and the LessonRun that follows
// the learner. React reads it through useLessonSession(); nothing here runs during the Node build.
import { errorMessage } from '@/lib/error-message';
import type { Lab } from '@/machines/lab-types';
import type { Lesson } from '@/lib/lessons/lesson-types';
import type { LessonRun } from '@/machines/lessons/lesson-run';
import { durable } from '../session/durable-lab';
import { SessionStore } from '../session/session-store';
import { TabLock } from '../session/tab-lock';

export type LessonSessionState =
  | { status: 'idle' }
  | { status: 'opening'; message: string }
  | { status: 'elsewhere' }
  | { status: 'handedOver' }
  | { status: 'open'; lab: Lab; run: LessonRun; lesson: Lesson; openedAt: number }
  | { status: 'error'; title: string; message: string };

// Lesson content, the runner and the lab engine load only in the browser, once a lesson is opened.
async function loadEngine(lessonId: string) {
  const [catalogue, runner, storage] = await Promise.all([import('@/lib/lessons'), import('@/machines/lessons'), import('@/lib/storage/db')]);
  return { lesson: await catalogue.loadLesson(lessonId), runner, storage };
}

class LessonSession extends SessionStore<LessonSessionState> {
  private readonly lock: TabLock;
  private started = false;

  constructor(readonly lessonId: string) {
    super({ status: 'idle' });
    this.lock = new TabLock(`keylab-lesson:${lessonId}`, () => {
      // Another tab took the lesson over: stop touching its lab at once.
      if (this.state.status === 'open') {
        this.state.run.dispose();
        this.state.lab.dispose();
      }
      this.closeDb();
      this.set({ status: 'handedOver' });
    });
  }

  start() {
    if (this.started) return;
    this.started = true;
    window.addEventListener('pagehide', () => {
      if (this.state.status === 'open') {
        void this.state.lab.save().catch(() => undefined);
        void this.state.run.flush();
      }
    });
    void this.acquireAndOpen(false);
  }

  /** "Use it here instead": take the lesson from the other tab. */
  takeOver() {
    void this.acquireAndOpen(true);
  }

  /** Restart: this lesson's lab and progress are thrown away and the lesson starts again from its prelude. */
  async restart() {
    const current = this.state;
    this.set({ status: 'opening', message: 'Restarting the lesson…' });
    try {
      const engine = await loadEngine(this.lessonId);
      if (current.status === 'open') {
        await current.run.flush();
        current.run.dispose();
        current.lab.dispose();
      }
      this.closeDb();
      const db = engine.storage.openKeylabDb(engine.runner.lessonDbName(this.lessonId));
      this.db = db;
      await engine.runner.resetLesson(db, this.lessonId);
      await this.open(engine);
    } catch (err) {
      this.set({ status: 'error', title: 'The lesson could not be restarted', message: errorMessage(err) });
    }
  }

  private async acquireAndOpen(steal: boolean) {
    this.set({ status: 'opening', message: 'Opening the lesson…' });
    try {
      if (!(await this.lock.acquire(steal ? 'steal' : 'ifAvailable'))) {
        this.set({ status: 'elsewhere' });
        return;
      }
      await this.open(await loadEngine(this.lessonId));
    } catch (err) {
      this.set({ status: 'error', title: 'The lesson could not be opened', message: errorMessage(err) });
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
    // Opened without a page in the URL: the lesson starts on its own first page (read by the workspace as it mounts).
    if (lesson.startPage && !window.location.hash) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${lesson.startPage}`);
    }
    this.set({ status: 'open', lab, run, lesson, openedAt: Date.now() });
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
