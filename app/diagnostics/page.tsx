// The "Browser check" route: a static page whose work all happens in the client component beside it.
import type { Metadata } from 'next';
import { BrowserCheck } from './browser-check';

export const metadata: Metadata = {
  title: 'Browser check — keylab',
  description: 'Checks that this browser keeps keylab’s encrypted disks across a reload, and measures how fast it runs them.',
};

export default function DiagnosticsPage() {
  return <BrowserCheck />;
}
