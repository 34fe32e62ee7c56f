// Openings several specs share, so each spec starts from the same lab state in the same way: the doomsday drills
// begin with a VM on a Native Key Provider that has been backed up.
import type { Page } from '@playwright/test';
import { LabPage } from './lab-page';

/**
 * A fresh lab; a Native Key Provider `nkp` added and backed up with `password` (the .p12 downloads for real); `vm`
 * moved to it by a shallow re-key, its page left open. Returns the lab, the .p12's path and the VM's new KEK key ID.
 */
export async function openWithVmOnBackedUpNkp(page: Page, { vm, nkp, password }: { vm: string; nkp: string; password: string }) {
  const lab = new LabPage(page);
  await lab.openFresh();
  await lab.keyProviders.addNative(nkp);
  const file = await lab.keyProviders.backUp(nkp, password);
  await lab.select(vm, new RegExp(vm));
  const keyId = await lab.vm.shallowRekeyTo(nkp);
  return { lab, file, keyId };
}
