// The base of the lab's error families (refusals, VM files, crypto, storage, the guest's file system): a stable code the
// code branches on and a message a learner reads. A failure is reported by its code, whichever family it comes from.
export class KeylabError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
