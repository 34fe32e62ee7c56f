// The vSphere versions a lab's vCenter can run. Behaviour that changed between releases follows the version: how
// vCenter picks a KMS node (ordered list with a fixed 60 s wait on 6.5/6.7; round-robin with the per-server I/O
// timeout on 7.0 and later).
export const VSPHERE_VERSIONS = ['6.5', '6.7', '7.0', '8.0', '9.0'] as const;
export type VsphereVersion = (typeof VSPHERE_VERSIONS)[number];

/** A current release: what a lab runs unless its scenario says otherwise. */
export const DEFAULT_VSPHERE_VERSION: VsphereVersion = '8.0';

export function isVsphereVersion(value: unknown): value is VsphereVersion {
  return typeof value === 'string' && (VSPHERE_VERSIONS as readonly string[]).includes(value);
}
