// Owns the one lab of this tab: the cross-tab lock, opening the lab lazily in the browser, closing it when the learner
// leaves /lab, handing it over to another tab, resetting it, and going back to an earlier step of it (and Redo). React reads it through useLabSession(); nothing here
// runs during the Node build.
import type { CommandResult, Lab } from '@/machines/lab-types';
import type { LabClock } from '@/machines/session/lab-clock';
import { durable } from './durable-lab';
import { rewindMessages, type RewindNotice } from './rewind-notice';
import { ShownSession } from './shown-session';
import { TabLock } from './tab-lock';
import { clearHistory } from '../components/powercli-console/command-history-store';

export const LAB_ID = 'default';
const LOCK_NAME = 'keylab-lab';
const CHANNEL_NAME = 'keylab-lab';
/** How long a tab asking to take over waits for the holder to save and let go before it steals the lock. */
const HANDOVER_TIMEOUT_MS = 4000;

export type LabSessionState =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'elsewhere' }
  | { status: 'opening'; message: string }
  /** `notice`: how the last "Go back to here" went (done, or why not), until the learner dismisses it. */
  | { status: 'open'; lab: Lab; openedAt: number; title: string; notice?: RewindNotice }
  | { status: 'handedOver' }
  /**
   * `title` says what failed, `message` why in the learner's words (never an exception's), `problems` what is wrong
   * with a damaged saved lab. `kind`: damaged (Download the damaged lab), missing (the record is gone but the world is
   * stored: Download what is there), failed (anything else).
   */
  | { status: 'error'; title: string; message: string; kind: LabErrorKind; problems: string[] };

export type LabErrorKind = 'damaged' | 'missing' | 'failed';

type ChannelMessage = { type: 'takeover' };

interface Engine {
  openLab: typeof import('@/machines/lab').openLab;
  resetLab: typeof import('@/machines/lab').resetLab;
  savedLabText: typeof import('@/machines/lab').savedLabText;
  exportLabData: typeof import('@/machines/lab').exportLabData;
  openKeylabDb: typeof import('@/lib/storage/db').openKeylabDb;
  rewindLab: typeof import('@/machines/session/rewind').rewindLab;
  redoNext: typeof import('@/machines/session/rewind').redoNext;
  createRealTimeClock: typeof import('@/machines/session/lab-clock').createRealTimeClock;
  /** The lab's title as the learner reads it (the starting scenario's). */
  title: string;
}

// The engine (XState machines, Dexie, WebCrypto, pkijs) loads only in the browser, after the page has painted.
async function loadEngine(): Promise<Engine> {
  const [lab, db, scenario, rewind, clock, diskWorkers] = await Promise.all([
    import('@/machines/lab'),
    import('@/lib/storage/db'),
    import('@/lib/scenario/default-scenario'),
    import('@/machines/session/rewind'),
    import('@/machines/session/lab-clock'),
    import('@/lib/storage/disk-worker/browser'),
  ]);
  // Disk crypto and deep re-keys run in workers from here on, so the page never stalls on them.
  diskWorkers.startDiskWorkers();
  return {
    openLab: lab.openLab,
    resetLab: lab.resetLab,
    savedLabText: lab.savedLabText,
    exportLabData: lab.exportLabData,
    openKeylabDb: db.openKeylabDb,
    rewindLab: rewind.rewindLab,
    redoNext: rewind.redoNext,
    createRealTimeClock: clock.createRealTimeClock,
    title: scenario.defaultScenario().title,
  };
}

/** What to do next, in the words of the screen that offers it (the sandbox's Reset lab, a lesson's Restart lesson). */
export interface OpenAdvice {
  /** After a damaged or newer saved lab's summary; the lab's own next step when not given. */
  damaged?: string;
  /** The whole message for a failure that is not the lab's own. */
  failed: string;
}

const SANDBOX_ADVICE: OpenAdvice = {
  failed:
    'Something in this browser stopped the lab (the details are in the browser’s console). Try again; if it keeps failing, download the saved lab to keep it, then reset.',
};

/** What the error screen says: the lab's own words for its own errors, never a runtime's or parser's. */
export function errorState(title: string, err: unknown, advice: OpenAdvice = SANDBOX_ADVICE): Extract<LabSessionState, { status: 'error' }> {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; summary?: unknown; nextStep?: unknown; problems?: unknown };
  if (e && e.name === 'LabOpenError') {
    const problems = Array.isArray(e.problems) ? e.problems.map(String) : [];
    return {
      status: 'error',
      title: e.code === 'SAVED_LAB_MISSING' ? 'The saved lab is missing' : title,
      message: `${String(e.summary)} ${advice.damaged ?? String(e.nextStep)}`,
      kind: e.code === 'SAVED_LAB_MISSING' ? 'missing' : 'damaged',
      problems,
    };
  }
  console.error('keylab:', title, err);
  // The storage layer's errors are written for the learner (a full disk says what to do); anything else is not shown.
  const own = e && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) && typeof e.message === 'string' && e.name !== 'Error';
  const message = own ? String(e.message) : advice.failed;
  return { status: 'error', title, message, kind: 'failed', problems: [] };
}

/** A file name for a download, with the time so two never overwrite each other. */
function stamped(base: string): string {
  return `${base}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
}

/**
 * This tab's hold on the lab (cross-tab lock, opening, closing, hand-over, reset); the lab itself is machines'
 * RunningLab. Its work runs one task at a time (ShownSession's queue), so leaving /lab while it opens closes what it opened.
 */
class TabLabSession extends ShownSession<LabSessionState> {
  protected readonly lock = new TabLock(LOCK_NAME, () => {
    // Another tab stole the lock: stop touching the lab at once.
    if (this.state.status === 'open') this.state.lab.dispose();
    this.closeDb();
    this.set({ status: 'handedOver' });
  });
  private channel: BroadcastChannel | null = null;
  /** The open lab's clock: Redo moves it to the time a step taken back was first done. */
  private clock: LabClock | null = null;

  constructor() {
    super({ status: 'idle' }, 'the lab session');
    this.listenToOtherTabs();
    window.addEventListener('pagehide', () => {
      if (this.state.status === 'open') void this.state.lab.save().catch(() => undefined);
    });
  }

  protected openHere() {
    return this.acquireAndOpen('ifAvailable');
  }

  /** "Use it here instead": ask the tab that has the lab to save and let go, then open it here. */
  takeOver() {
    this.set({ status: 'opening', message: 'Asking the other tab to save and close the lab…' });
    this.channel?.postMessage({ type: 'takeover' } satisfies ChannelMessage);
    void this.enqueue(() => this.acquireAndOpen('handover'));
  }

  /** After an error: try opening again (the saved lab is untouched by a failed open). */
  retry() {
    void this.enqueue(async () => {
      if (this.state.status !== 'error') return;
      if (!this.lock.held) return this.acquireAndOpen('ifAvailable');
      this.set({ status: 'opening', message: 'Opening the lab…' });
      try {
        await this.open(await loadEngine());
      } catch (err) {
        this.set(errorState('The lab could not be opened', err));
      }
    });
  }

  /** "Reset lab": throw the whole lab away (datastores, disks, keys, vCenter) and start from the initial world. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      const current = this.state;
      this.set({ status: 'opening', message: 'Resetting the lab…' });
      try {
        const engine = await loadEngine();
        const labId = current.status === 'open' ? current.lab.getView().labId : LAB_ID;
        if (current.status === 'open') current.lab.dispose();
        const db = this.db ?? engine.openKeylabDb();
        this.db = db;
        await engine.resetLab(db as Parameters<Engine['resetLab']>[0], LAB_ID);
        clearHistory(labId);
        this.closeDb();
        await this.open(engine);
      } catch (err) {
        this.set(errorState('The lab could not be reset', err));
      }
    });
  }

  /**
   * "Go back to here": the lab saved and closed, rebuilt from its scenario and journal up to just before step `toSeq`
   * (what comes after kept as Redo), and opened again, with progress while it rebuilds. When it cannot be rebuilt the
   * lab opens again as it was saved, and the notice says why; a rebuild that did not come out as the journal says opens
   * as the rebuild left it, saying so.
   */
  rewind(toSeq: number): Promise<void> {
    return this.enqueue(async () => {
      const current = this.state;
      if (current.status !== 'open') return;
      const words = rewindMessages(toSeq);
      this.set({ status: 'opening', message: words.finishing });
      const engine = await loadEngine().catch((err: unknown) => err as Error);
      if (engine instanceof Error) return this.set({ ...current, notice: { tone: 'problem', text: words.failed(engine) } });
      try {
        // A command still running (a deep re-key) finishes first; the rebuild needs the lab saved and closed.
        await current.lab.untilSettled();
        await current.lab.save();
      } catch (err) {
        // Not saved: the lab goes on running as it was.
        return this.set({ ...current, notice: { tone: 'problem', text: words.failed(err) } });
      }
      current.lab.dispose();
      this.set({ status: 'opening', message: words.rebuilding(0, 0) });
      let notice: RewindNotice;
      try {
        const db = this.db ?? engine.openKeylabDb();
        this.db = db;
        await engine.rewindLab(db as Parameters<Engine['rewindLab']>[0], LAB_ID, toSeq, undefined, (done, total) =>
          this.set({ status: 'opening', message: words.rebuilding(done, total) }),
        );
        notice = { tone: 'done', text: words.done };
      } catch (err) {
        notice = { tone: 'problem', text: words.failed(err) };
      }
      try {
        await this.open(engine, notice);
      } catch (err) {
        this.set(errorState('The lab could not be opened', err));
      }
    });
  }

  /** Redo: the next step a "Go back to here" took back, done again at the lab time it was first done. */
  async redo(): Promise<CommandResult> {
    const current = this.state;
    if (current.status !== 'open' || !this.clock) return { ok: false, code: 'LAB_CLOSED', reason: 'The lab is not open.' };
    const engine = await loadEngine();
    return engine.redoNext(current.lab, this.clock);
  }

  /** The learner has read the notice of the last "Go back to here". */
  dismissNotice() {
    const current = this.state;
    if (current.status !== 'open' || !current.notice) return;
    this.set({ status: 'open', lab: current.lab, openedAt: current.openedAt, title: current.title });
  }

  /**
   * The workspace failed to render (the error boundary caught it): the lab is closed so nothing more is written, and
   * the lab's own error screen takes over with Try again, Download and Reset.
   */
  workspaceFailed(error: unknown) {
    console.error('keylab: the workspace could not be shown', error);
    const current = this.state;
    if (current.status !== 'open') return;
    try {
      current.lab.dispose();
    } catch {
      /* already closed */
    }
    this.set({
      status: 'error',
      title: 'The lab could not be shown',
      message:
        'A page of the lab failed while it was being drawn, so the lab was closed to keep what is saved safe. Try again; if it keeps failing, download the saved lab to keep it, then reset.',
      kind: 'damaged',
      problems: [],
    });
  }

  /** The saved lab exactly as stored (damaged or not), for the learner to keep; null when there is none. */
  async savedLabDownload(): Promise<{ fileName: string; text: string } | null> {
    const engine = await loadEngine();
    const db = this.db ?? engine.openKeylabDb();
    this.db = db;
    const text = await engine.savedLabText(db as Parameters<Engine['savedLabText']>[0], LAB_ID);
    return text === undefined ? null : { fileName: stamped('keylab-saved-lab'), text };
  }

  /** Everything the lab left in this browser (saved records, datastore files, disks, the list of keys). */
  async storedWorldDownload(): Promise<{ fileName: string; text: string }> {
    const engine = await loadEngine();
    const db = this.db ?? engine.openKeylabDb();
    this.db = db;
    return { fileName: stamped('keylab-stored-data'), text: await engine.exportLabData(db as Parameters<Engine['exportLabData']>[0]) };
  }

  private listenToOtherTabs() {
    if (typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(CHANNEL_NAME);
    this.channel.onmessage = (e: MessageEvent<ChannelMessage>) => {
      if (e.data?.type === 'takeover') void this.enqueue(() => this.handOver());
    };
  }

  private async handOver() {
    const current = this.state;
    if (current.status !== 'open') return;
    await this.stopRunning(current, true);
    this.set({ status: 'handedOver' });
    this.lock.releaseNow();
  }

  /** Stops the lab `current` runs, if any (saved first when `save`: the lab's own save is debounced); closes its database. */
  protected async stopRunning(current: LabSessionState, save: boolean) {
    if (current.status === 'open') {
      // The lab saves after every change anyway; this last save is a courtesy.
      if (save) await current.lab.save().catch((err: unknown) => console.error('keylab: saving the lab failed', err));
      current.lab.dispose();
    }
    this.closeDb();
  }

  private async acquireAndOpen(mode: 'ifAvailable' | 'handover') {
    if (mode === 'ifAvailable') this.set({ status: 'checking' });
    try {
      let acquired: boolean;
      if (mode === 'ifAvailable') {
        acquired = await this.lock.acquire('ifAvailable');
      } else {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), HANDOVER_TIMEOUT_MS);
        acquired = await this.lock.acquire('wait', abort.signal).catch(() => false);
        clearTimeout(timer);
        // The other tab did not answer (frozen, or an older keylab): take the lock from it.
        if (!acquired) acquired = await this.lock.acquire('steal');
      }
      if (!acquired) {
        this.set({ status: 'elsewhere' });
        return;
      }
      this.set({ status: 'opening', message: 'Opening the lab…' });
      await this.open(await loadEngine());
    } catch (err) {
      this.set(errorState('The lab could not be opened', err));
    }
  }

  private async open(engine: Engine, notice?: RewindNotice) {
    this.set({ status: 'opening', message: 'Opening the lab…' });
    this.closeDb(); // a failed earlier attempt may have left one open
    const db = engine.openKeylabDb();
    this.db = db;
    // A real-time clock the session keeps (Redo moves it on); openLab carries it on from the saved lab time.
    const clock = engine.createRealTimeClock();
    const lab = durable(await engine.openLab({ db, labId: LAB_ID, clock }));
    this.clock = clock;
    this.set({ status: 'open', lab, openedAt: Date.now(), title: engine.title, ...(notice ? { notice } : {}) });
    // An interrupted deep re-key (closed tab, crash) carries on where its journal stopped; progress shows on the VM.
    void lab.resumeInterrupted().catch((err: unknown) => {
      console.error('keylab: resuming interrupted work failed', err);
    });
  }
}

let session: TabLabSession | null = null;

export function getLabSession(): TabLabSession {
  session ??= new TabLabSession();
  return session;
}
