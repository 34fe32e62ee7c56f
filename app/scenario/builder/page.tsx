// The scenario builder (/scenario/builder): compose a world with forms, apply faults, then share it as a link or a file.
import type { Metadata } from 'next';
import { BuilderApp } from './builder-app';

export const metadata: Metadata = {
  title: 'Scenario builder — keylab',
  description: 'Compose a vSphere encryption scenario (hosts, KMS nodes, key providers, VMs, faults) and share it as a link or a file.',
};

export default function BuilderPage() {
  return <BuilderApp />;
}
