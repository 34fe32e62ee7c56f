// Errors thrown by lib/crypto: each carries a stable `code` for the machines and a message a learner can read.
import { KeylabError } from '@/lib/keylab-error';

/**
 * Codes in use: WRONG_KEY, P12_WRONG_PASSWORD, P12_CORRUPT, P12_NO_KDK, P12_TOO_MANY_ITERATIONS (subclasses below), and on the base class
 * KEY_NOT_EXTRACTABLE, KEY_TYPE_MISMATCH, INVALID_KEY_LENGTH, INVALID_BASE64, INVALID_ARGUMENT.
 * Callers branch on `code` (or `instanceof`), never on the message, so messages may be reworded freely.
 */
export type CryptoErrorCode =
  | 'WRONG_KEY'
  | 'P12_WRONG_PASSWORD'
  | 'P12_CORRUPT'
  | 'P12_NO_KDK'
  | 'P12_TOO_MANY_ITERATIONS'
  | 'KEY_NOT_EXTRACTABLE'
  | 'KEY_TYPE_MISMATCH'
  | 'INVALID_KEY_LENGTH'
  | 'INVALID_BASE64'
  | 'INVALID_ARGUMENT';

export class KeylabCryptoError extends KeylabError<CryptoErrorCode> {}

/** A crypto error class with a fixed code and a default message (a caller may say more). */
function withCode(code: CryptoErrorCode, defaultMessage: string) {
  return class extends KeylabCryptoError {
    constructor(message = defaultMessage, options?: ErrorOptions) {
      super(code, message, options);
    }
  };
}

export class WrongKeyError extends withCode(
  'WRONG_KEY',
  'This wrapped key cannot be unwrapped with the key given: it is the wrong key, or the wrapped bytes were altered.',
) {}

export class P12WrongPasswordError extends withCode(
  'P12_WRONG_PASSWORD',
  'The backup file failed its integrity (MAC) check: the password is wrong, or the file was altered.',
) {}

export class P12CorruptError extends withCode('P12_CORRUPT', 'This file is not a readable PKCS#12 (.p12) file: it may be truncated or not a .p12 at all.') {}

/** A .p12 asking for more password iterations than keylab runs (the message says the count and the limit). */
export class P12TooManyIterationsError extends withCode(
  'P12_TOO_MANY_ITERATIONS',
  'This .p12 file asks for more password iterations than keylab runs; make the backup again with fewer.',
) {}

export class P12NoKdkError extends withCode(
  'P12_NO_KDK',
  'This .p12 file opened correctly but holds no Native Key Provider key (KDK): it is not an NKP backup.',
) {}
