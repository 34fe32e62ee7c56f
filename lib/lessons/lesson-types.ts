// The shape of a lesson: plain data plus pure functions of the lab's view. The runner (machines/lessons) starts it,
// the panel (app/lab/lessons) shows it, and any path that reaches a state counts (UI today, a console later).
// Type-only imports from the lab's contract: a check reads LabView and a prelude or "show me" names LabCommands.
import type { LabCommand, LabView } from '@/machines/lab-types';
import type { Scenario } from '@/lib/scenario';

/** What a check says about the lab right now. */
export type CheckResult =
  | { status: 'done' }
  /** Not there yet; `missing` says plainly what is still to do (optional). */
  | { status: 'notYet'; missing?: string }
  /** The learner reached a state that shows a wrong idea: `id` names it (stable, for tests), `message` explains it. */
  | { status: 'misconception'; id: string; message: string };

/** Facts recorded once the prelude has run, so checks can compare "now" with "at the start". */
export interface LessonBaseline {
  /** Lab time when the learner started. */
  startedAt: number;
  /** Key providers at the start: name → { id, keyId (NKP's KDK id) }. */
  providers: Record<string, { id: string; kind: 'standard' | 'native'; keyId: string | null }>;
  /** VMs at the start: id → their key, DEK fingerprint and power. */
  vms: Record<string, { keyId: string | null; providerName: string | null; dekFingerprint: string | null; power: 'on' | 'off' }>;
  /**
   * Native Key Provider backups (.p12) that existed at the start: provider name → the KDK key ID in the file. A backup
   * the learner makes later of a new provider of the same name is not "the backup" (absent in progress saved before
   * it was recorded).
   */
  backups?: Record<string, string>;
  /** Guest files written by the prelude, read back as the proof at the end. */
  guestFiles: { vmId: string; name: string; text: string }[];
}

/** A pure check: the same view and baseline always give the same answer. */
export type LessonCheck = (view: LabView, baseline: LessonBaseline) => CheckResult;

/** Something the runner does for the learner: in a prelude, or for "show me". */
export type LessonAction =
  | { kind: 'command'; command: LabCommand }
  /**
   * Back up a Native Key Provider (by name) with a password; `handout` keeps the .p12 for the learner to download.
   * `passwordLost`: the learner gets the file but not its password (the lesson about a lost password); the password is
   * then neither shown nor kept, so "show me" cannot restore it either.
   */
  | { kind: 'backupNkp'; providerName: string; password: string; handout?: boolean; passwordLost?: boolean }
  /** Restore the handed-out .p12 into the current vCenter ("Add > Restore from backup"). */
  | { kind: 'restoreHandout' };

/** Actions may depend on the lab's state (e.g. the id of a provider the learner added). */
export type ActionsFor = (view: LabView, baseline: LessonBaseline) => LessonAction[];

/** Predict, then observe: asked before a destructive step, compared with what happened once the step is done. */
export interface Prediction {
  /** e.g. "After the host reboots, which VMs can power on?" */
  question: string;
  /** The answer options, the same for every subject, e.g. [{ id: 'runs', label: 'Keeps running' }, ...]. */
  choices: { id: string; label: string }[];
  /** What is predicted about: usually VMs. */
  subjects: (view: LabView, baseline: LessonBaseline) => { id: string; label: string }[];
  /** What really happened to one subject once the step's check passes, with the reason a learner remembers. */
  observe: (view: LabView, subjectId: string, baseline: LessonBaseline) => { choice: string; reason: string };
}

export interface LessonStep {
  id: string;
  title: string;
  /** Short, in the product's own words (menu names as the UI shows them). */
  instructions: string;
  /** Revealed one at a time. */
  hints: string[];
  /** One to three sentences on what vSphere really does underneath. */
  why: string;
  /** A command the learner runs on their own computer (e.g. openssl on the downloaded .p12), shown to copy. */
  terminal?: string;
  /** Where the evidence is: the panel links to it. */
  evidence?: 'keyMap' | 'events' | 'datastore' | 'recovery';
  check: LessonCheck;
  /** "Show me": performed through the same dispatch as the learner's clicks. Absent when the step cannot be shown. */
  showMe?: ActionsFor;
  /** Asked before the learner acts on this step. */
  predict?: Prediction;
  /**
   * What the step shows when it passes: 'success' (the default: something worked), 'failure' (a refusal the learner
   * is meant to meet, e.g. "TPM2 Device is Required"), or 'mixed' (some things work, some fail). The panel heads the
   * step's explanation "Why it worked", "Why it failed" or "Why" to match.
   */
  expectedOutcome?: 'success' | 'failure' | 'mixed';
}

/** The closing proof: read guest files back through the lab, or show that no key opens a disk. */
export type LessonProof =
  | { kind: 'readBack' }
  | { kind: 'unrecoverable'; vmIds: string[] };

export interface Lesson {
  /** Stable, URL-safe: /lab?lesson=<id>. */
  id: string;
  /** Position in the catalogue (1 = the first a newcomer should take). */
  order: number;
  title: string;
  goal: string;
  estimatedMinutes: number;
  /** The starting world, then ordinary lab actions that bring it to where the lesson begins. */
  scenario: () => Scenario;
  prelude: LessonAction[];
  /** The workspace page the lesson opens on when the URL names none, as a hash route (e.g. '#/providers'). */
  startPage?: string;
  /** Given to the learner at the start (e.g. "the backup from last week"), shown with the handout download. */
  handoutNote?: string;
  steps: LessonStep[];
  proof?: LessonProof;
  /** What was learned, a few bullets for the summary. */
  summary: string[];
}
