// Why a lab could not be opened, in the learner's words: the saved lab is damaged, from a newer keylab, or missing
// while its disks and keys are still stored. The lab's error screen shows `problems` and offers Reset and Download.
export type LabOpenErrorCode = 'SAVED_LAB_DAMAGED' | 'SAVED_LAB_NEWER' | 'SAVED_LAB_MISSING';

const SUMMARY: Record<LabOpenErrorCode, string> = {
  SAVED_LAB_DAMAGED: 'The saved lab is damaged, so it cannot be opened.',
  SAVED_LAB_NEWER: 'The saved lab was written by another version of keylab (a newer one) and cannot be opened here.',
  SAVED_LAB_MISSING:
    'The record of the saved lab is missing, but its datastore files, disks and keys are still stored in this browser.',
};

const NEXT_STEP: Record<LabOpenErrorCode, string> = {
  SAVED_LAB_DAMAGED: 'Download the damaged lab to keep it, then Reset the lab to start again.',
  SAVED_LAB_NEWER: 'Open it with the keylab that saved it, or download it and Reset the lab to start again here.',
  SAVED_LAB_MISSING: 'Download what is there to keep it, then start a new lab (which replaces it).',
};

export class LabOpenError extends Error {
  constructor(
    readonly code: LabOpenErrorCode,
    /** What is wrong, one sentence each (at most a few; `problemCount` says how many there were in all). */
    readonly problems: string[] = [],
    readonly problemCount: number = problems.length,
  ) {
    super(`${SUMMARY[code]}${problems.length > 0 ? ` ${problems.join(' ')}` : ''} ${NEXT_STEP[code]}`);
    this.name = 'LabOpenError';
  }

  get summary(): string {
    return SUMMARY[this.code];
  }

  get nextStep(): string {
    return NEXT_STEP[this.code];
  }
}
