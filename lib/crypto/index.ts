// Public API of lib/crypto: keys, wrapping, the sector cipher and errors; the .p12 backup only by lazy loading.
//
// The NKP backup (./pkcs12) is deliberately not re-exported as values: with pkijs and asn1js it bundles to about
// 410 kB minified, 87 kB gzipped (measured with rolldown; keys.ts and wrap.ts are about 1 kB gzipped each), and no
// page needs it until a learner backs up or restores a provider. Import its types from here, and the code with
// `await loadNkpBackup()` or `await import('@/lib/crypto/pkcs12')`.
export * from './errors';
export * from './keys';
export * from './wrap';
export * from './derive';
export * from './sector-cipher';
export type { NkpBackupContents } from './pkcs12';

export function loadNkpBackup(): Promise<typeof import('./pkcs12')> {
  return import('./pkcs12');
}
