// A refused or failed lab command: thrown inside command handlers, turned into { ok: false, code, reason } by dispatch.
import type { RefusalCode } from './refusal-codes';

export type { RefusalCode };

/** A command's refusal as plain data: what a precondition returns and a CommandResult carries. */
export interface Refusal {
  code: RefusalCode;
  /** What the learner reads: vSphere's wording where there is one, and what to do next. */
  reason: string;
}

export class LabRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    /** What the learner reads: vSphere's wording where there is one. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'LabRefusal';
  }
}

export function refuse(code: RefusalCode, reason: string): never {
  throw new LabRefusal(code, reason);
}

/** Runs a check written with `refuse` and returns its refusal as data (null when it passes). */
export function asRefusal(check: () => void): Refusal | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof LabRefusal) return { code: error.code, reason: error.reason };
    throw error;
  }
}
