// The one error lib/kmip reports: what was wrong with the bytes or the message, where, and which KMIP Result Reason a
// server answers it with. Decoders return it (they never throw past their boundary); callers branch on `code`.
import { KeylabError } from '@/lib/keylab-error';

export type KmipErrorCode =
  | 'TRUNCATED' // fewer bytes than a header or a declared length needs
  | 'BAD_LENGTH' // a length the type forbids, or a child overrunning its structure
  | 'BAD_PADDING' // padding bytes that are not zero
  | 'UNKNOWN_TAG' // a tag this codec does not know
  | 'UNKNOWN_TYPE' // a type byte outside 0x01..0x0A
  | 'WRONG_TYPE' // a known tag carrying another type than the specification gives it
  | 'TOO_DEEP' // structures nested past the depth limit
  | 'TOO_LARGE' // a message past the size or item-count limit
  | 'BAD_VALUE' // a value outside its range (a Boolean of 2, an enumeration value not defined, invalid UTF-8)
  | 'TRAILING_BYTES' // bytes left after the message
  | 'MISSING_FIELD' // a required field absent from a structure
  | 'UNEXPECTED_FIELD' // a field that has no place in this structure
  | 'INTERNAL'; // a bug in this codec, reported rather than thrown

export class KmipError extends KeylabError<KmipErrorCode> {
  constructor(
    code: KmipErrorCode,
    message: string,
    /** Byte offset in the message where the fault was found (-1 when it is not about one place). */
    readonly offset = -1,
  ) {
    super(code, offset >= 0 ? `${message} (at byte ${offset})` : message);
  }

  /** How a server answers: faults in the TTLV itself make the message invalid; faults in a known field are Invalid Field. */
  get resultReason(): 'InvalidMessage' | 'InvalidField' {
    return this.code === 'MISSING_FIELD' || this.code === 'UNEXPECTED_FIELD' || this.code === 'BAD_VALUE' || this.code === 'WRONG_TYPE'
      ? 'InvalidField'
      : 'InvalidMessage';
  }
}

export type KmipResult<T> = { ok: true; value: T } | { ok: false; error: KmipError };

/** Runs a decoder and turns anything it throws into a result: a KmipError as it is, anything else as INTERNAL. */
export function guard<T>(decode: () => T): KmipResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof KmipError) return { ok: false, error: e };
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, error: new KmipError('INTERNAL', `The KMIP decoder failed unexpectedly: ${detail}`) };
  }
}
