// The lab page (/lab): a static shell; everything else (the lab engine, the workspace) loads in the browser.
import type { Metadata } from 'next';
import { LabApp } from './workspace/lab-app';

export const metadata: Metadata = {
  title: 'Lab — keylab',
  description: 'A simulated vSphere datacenter with real encryption: encrypt VMs, lose vCenter, restore the Native Key Provider.',
};

export default function LabPage() {
  return <LabApp />;
}
