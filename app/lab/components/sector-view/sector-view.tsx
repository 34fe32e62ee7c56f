'use client';
// The sector view: a disk's bytes as stored in IndexedDB beside the plaintext the host sees.
import type { Lab, LabView, VmView } from '@/machines/lab-types';

export function SectorView(props: { lab: Lab; vm: VmView; view: LabView }) {
  return <section aria-label={`Disk sectors of ${props.vm.name}`}>Sector view</section>;
}
