// One key in one place: level colour, short key ID, fingerprint, and its form (plain, wrapped, ID only).
import type { KeyLocation } from '@/machines/lab-types';
import { FORM_LABEL, NO_PLAIN_COPY, NO_PLAIN_COPY_WHY, shortFingerprint, shortId, type KeyForm } from './key-map-model';
import { FormIcon } from './key-icons';
import { LEVEL_LOOK, formClasses } from './key-style';

export type ChipEmphasis = 'active' | 'related' | 'dim' | 'normal';

/** How every chip of the picture lights up around the active key, and how one is pinned (clicked) to stay active. */
export interface ChipHighlight {
  emphasisOf: (keyId: string) => ChipEmphasis;
  pinnedKeyId: string | null;
  onHover: (keyId: string | null) => void;
  onTogglePin: (keyId: string) => void;
}

export interface KeyChipProps {
  keyLoc: KeyLocation;
  form: KeyForm;
  /** 'tree' = the key in the hierarchy column; 'place' = the key where it lives. */
  role: 'tree' | 'place';
  /** Where this chip is, for its accessible name ("in RAM of host esx-01"). */
  where: string;
  /** The wrapping key, shown on wrapped chips ("in KEK 1a2b…"). */
  wrapper: KeyLocation | null;
  highlight: ChipHighlight;
}

const EMPHASIS: Record<ChipEmphasis, string> = {
  active: 'ring-2 ring-blue-600 ring-offset-2 ring-offset-white shadow-md dark:ring-sky-400 dark:ring-offset-slate-900',
  related: 'ring-1 ring-blue-500/70 dark:ring-sky-400/70',
  dim: 'opacity-40',
  normal: '',
};

export function KeyChip(props: KeyChipProps) {
  const { keyLoc, form, role, where, wrapper, highlight } = props;
  const { onHover, onTogglePin } = highlight;
  const emphasis = highlight.emphasisOf(keyLoc.keyId);
  const pinned = highlight.pinnedKeyId === keyLoc.keyId;
  const second =
    role === 'place' && form === 'wrapped' && wrapper
      ? `in ${wrapper.level} ${shortId(wrapper.keyId)}`
      : role === 'place' && form === 'key-id'
        ? 'ID only'
        : keyLoc.fingerprint
          ? `fp ${shortFingerprint(keyLoc.fingerprint)}`
          : NO_PLAIN_COPY;
  // The name starts with exactly the text shown (WCAG 2.5.3 Label in Name: a voice user says what they see), then
  // spells out what the chip abbreviates.
  const label =
    `${keyLoc.level} ${shortId(keyLoc.keyId)} ${second}. ${keyLoc.keyId}, ${role === 'tree' ? '' : `${FORM_LABEL[form]}, `}${where}` +
    (wrapper && form === 'wrapped' ? `, wrapped by ${wrapper.level} ${wrapper.keyId}` : '') +
    (keyLoc.fingerprint ? `. Fingerprint ${keyLoc.fingerprint}.` : `. ${NO_PLAIN_COPY_WHY}`);
  return (
    <button
      type="button"
      data-key-id={keyLoc.keyId}
      data-chip-role={role}
      data-form={form}
      aria-label={label}
      aria-pressed={pinned}
      title={`${keyLoc.level} ${keyLoc.keyId}\n${keyLoc.fingerprint ? `fingerprint ${keyLoc.fingerprint}` : NO_PLAIN_COPY_WHY}\n${FORM_LABEL[form]}`}
      onMouseEnter={() => onHover(keyLoc.keyId)}
      onMouseLeave={() => onHover(null)}
      onFocus={() => onHover(keyLoc.keyId)}
      onBlur={() => onHover(null)}
      onClick={() => onTogglePin(keyLoc.keyId)}
      className={
        'group flex w-full min-w-0 flex-col gap-0.5 rounded-md px-1.5 py-1 text-left text-xs leading-tight ' +
        'transition duration-500 motion-reduce:transition-none starting:scale-105 starting:shadow-lg ' +
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 ' +
        `${LEVEL_LOOK[keyLoc.level].text} ${formClasses(keyLoc.level, form)} ${EMPHASIS[emphasis]}`
      }
    >
      <span className="flex items-center gap-1">
        <span className={`rounded px-1 text-[10px] font-bold tracking-wide ${LEVEL_LOOK[keyLoc.level].tag}`}>
          {keyLoc.level}
        </span>{' '}
        <span className="truncate font-mono">{shortId(keyLoc.keyId)}</span>
        <span className="ml-auto flex items-center gap-0.5" aria-hidden="true">
          <FormIcon form={form} />
        </span>
      </span>{' '}
      <span className="truncate font-mono text-[10px] opacity-90">{second}</span>
    </button>
  );
}
