// The scenario page (/scenario#s=…): a static shell; the link is in the fragment, read and opened in the browser.
import type { Metadata } from 'next';
import { ScenarioApp } from './scenario-app';

export const metadata: Metadata = {
  title: 'Scenario — keylab',
  description: 'A prepared vSphere encryption incident, opened from a link or a file in a lab of its own.',
};

export default function ScenarioPage() {
  return <ScenarioApp />;
}
