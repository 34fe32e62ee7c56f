// A refused or failed lab command: thrown inside command handlers, turned into { ok: false, code, reason } by dispatch.
export class LabRefusal extends Error {
  constructor(
    readonly code: string,
    /** What the learner reads: vSphere's wording where there is one. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'LabRefusal';
  }
}

export function refuse(code: string, reason: string): never {
  throw new LabRefusal(code, reason);
}
