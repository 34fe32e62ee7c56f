'use client';
// The guest console: the learner writes and reads text files on the VM's virtual disk.
import type { Lab, LabView, VmView } from '@/machines/lab-types';

export function GuestConsole(props: { lab: Lab; vm: VmView; view: LabView }) {
  const { vm } = props;
  if (vm.power !== 'on') return <p>Power on the VM to use its guest OS.</p>;
  return <section aria-label={`Guest console of ${vm.name}`}>Guest console</section>;
}
