// Errors thrown by lib/crypto: each carries a stable `code` for the machines and a message a learner can read.
import { KeylabError } from '@/lib/keylab-error';

/**
 * Codes in use: WRONG_KEY, P12_WRONG_PASSWORD, P12_CORRUPT, P12_NO_KDK (subclasses below), and on the base class
 * KEY_NOT_EXTRACTABLE, KEY_TYPE_MISMATCH, INVALID_KEY_LENGTH, INVALID_BASE64, INVALID_ARGUMENT.
 * Callers branch on `code` (or `instanceof`), never on the message, so messages may be reworded freely.
 */
export type CryptoErrorCode =
  | 'WRONG_KEY'
  | 'P12_WRONG_PASSWORD'
  | 'P12_CORRUPT'
  | 'P12_NO_KDK'
  | 'KEY_NOT_EXTRACTABLE'
  | 'KEY_TYPE_MISMATCH'
  | 'INVALID_KEY_LENGTH'
  | 'INVALID_BASE64'
  | 'INVALID_ARGUMENT';

export class KeylabCryptoError extends KeylabError<CryptoErrorCode> {}

export class WrongKeyError extends KeylabCryptoError {
  constructor(
    message = 'This wrapped key cannot be unwrapped with the key given: it is the wrong key, or the wrapped bytes were altered.',
    options?: ErrorOptions,
  ) {
    super('WRONG_KEY', message, options);
  }
}

export class P12WrongPasswordError extends KeylabCryptoError {
  constructor(
    message = 'The backup file failed its integrity (MAC) check: the password is wrong, or the file was altered.',
    options?: ErrorOptions,
  ) {
    super('P12_WRONG_PASSWORD', message, options);
  }
}

export class P12CorruptError extends KeylabCryptoError {
  constructor(
    message = 'This file is not a readable PKCS#12 (.p12) file: it may be truncated or not a .p12 at all.',
    options?: ErrorOptions,
  ) {
    super('P12_CORRUPT', message, options);
  }
}

export class P12NoKdkError extends KeylabCryptoError {
  constructor(
    message = 'This .p12 file opened correctly but holds no Native Key Provider key (KDK): it is not an NKP backup.',
    options?: ErrorOptions,
  ) {
    super('P12_NO_KDK', message, options);
  }
}
