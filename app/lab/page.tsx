// The lab page (/lab): a static shell; everything else (the lab engine, the workspace) loads in the browser.
// /lab opens the sandbox, /lab?lesson=<id> a lesson in its own lab (the query is read on the client).
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LabRoute } from './lessons/lab-route';
import { OpeningScreen } from './workspace/session-screens';

export const metadata: Metadata = {
  title: 'Lab — keylab',
  description: 'A simulated vSphere datacenter with real encryption: encrypt VMs, lose vCenter, restore the Native Key Provider.',
};

export default function LabPage() {
  return (
    <Suspense fallback={<OpeningScreen message="Opening the lab…" />}>
      <LabRoute />
    </Suspense>
  );
}
