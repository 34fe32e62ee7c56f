// A key provider's state in the vSphere Client's words: Not backed up / Warning / Active for NKP, plus Default.
import type { KeyProviderView } from '@/machines/lab-types';
import { nkpStatusLabel } from '../../format';
import { Badge, type BadgeTone } from '../../components/ui/badge';

const healthTone: Record<KeyProviderView['health'], BadgeTone> = { ok: 'success', warning: 'warning', error: 'danger' };

export function ProviderStatus({ provider }: { provider: KeyProviderView }) {
  let badge;
  if (provider.kind === 'native') {
    const tone: BadgeTone = provider.status === 'active' ? 'success' : provider.status === 'warning' ? 'warning' : 'danger';
    badge = <Badge tone={tone}>{nkpStatusLabel[provider.status]}</Badge>;
  } else {
    badge = (
      <Badge tone={healthTone[provider.health]}>
        {provider.health === 'ok' ? 'Connected' : provider.health === 'warning' ? 'Warning' : 'Not connected'}
      </Badge>
    );
  }
  return (
    <span className="inline-flex flex-wrap gap-1">
      {badge}
      {provider.isDefault ? <Badge tone="info">Default</Badge> : null}
    </span>
  );
}

export function providerKindLabel(provider: KeyProviderView): string {
  return provider.kind === 'native' ? 'Native Key Provider' : 'Standard key provider';
}
