// A refused or failed lab command: thrown inside command handlers, turned into { ok: false, code, reason } by dispatch.
import { errorMessage } from '@/lib/error-message';
import { GuestFsError } from '@/lib/guest/guest-fs';
import { KeylabError } from '@/lib/keylab-error';
import type { RefusalCode, ResultCode } from './refusal-codes';

export type { RefusalCode };

/** A command's refusal as plain data: what a precondition returns and a CommandResult carries. */
export interface Refusal {
  code: RefusalCode;
  /** What the learner reads: vSphere's wording where there is one, and what to do next. */
  reason: string;
}

export class LabRefusal extends KeylabError<RefusalCode> {
  constructor(
    code: RefusalCode,
    /** What the learner reads: vSphere's wording where there is one. */
    readonly reason: string,
  ) {
    super(code, reason);
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

/**
 * A command that failed, as dispatch reports it: any of the lab's error families by its code (the guest file system's
 * prefixed GUEST_); anything else is a bug, FAILED, with its message.
 */
export function failureOf(error: unknown): { ok: false; code: ResultCode; reason: string } {
  if (!(error instanceof KeylabError)) return { ok: false, code: 'FAILED', reason: errorMessage(error) };
  // ResultCode lists every family's codes (refusal-codes.ts), so a family's code is a result code.
  const code = (error instanceof GuestFsError ? `GUEST_${error.code}` : error.code) as ResultCode;
  return { ok: false, code, reason: error.message };
}
