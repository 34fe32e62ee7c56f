// The highlighted key spelled out: full ID, fingerprint, wrapper, and every place it lives. Announced politely.
import type { KeyLocation } from '@/machines/lab-types';
import { describePlace, LEVEL_LABEL, NO_PLAIN_COPY_WHY } from './key-map-model';
import { LEVEL_LOOK } from './key-style';

export function KeyDetails(props: {
  keyLoc: KeyLocation | null;
  byId: Map<string, KeyLocation>;
  names: Map<string, string>;
  pinned: boolean;
}) {
  const { keyLoc, byId, names, pinned } = props;
  return (
    <div
      aria-live="polite"
      className="min-h-16 rounded-lg border border-slate-300 bg-white p-2 text-sm text-slate-800 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      {!keyLoc ? (
        <p className="text-slate-700 dark:text-slate-200">
          Point at a key, or move to it with Tab, to light up every place it lives. Press it to keep it lit.
        </p>
      ) : (
        <div>
          <p className="flex flex-wrap items-center gap-x-2">
            <span className={`rounded px-1 text-[11px] font-bold ${LEVEL_LOOK[keyLoc.level].tag}`}>{keyLoc.level}</span>
            <span className="sr-only">{LEVEL_LABEL[keyLoc.level]}</span>
            <span className="font-mono text-xs break-all">{keyLoc.keyId}</span>
            {keyLoc.fingerprint ? (
              <span className="text-xs">fingerprint <span className="font-mono">{keyLoc.fingerprint}</span></span>
            ) : (
              <span className="text-xs">{NO_PLAIN_COPY_WHY}</span>
            )}
            {keyLoc.wrappedBy && (
              <span className="text-xs">
                wrapped by {byId.get(keyLoc.wrappedBy)?.level ?? 'key'}{' '}
                <span className="font-mono">{keyLoc.wrappedBy.slice(0, 8)}…</span>
              </span>
            )}
            {keyLoc.derivedFrom && (
              <span className="text-xs">
                derived from KDK <span className="font-mono">{keyLoc.derivedFrom.slice(0, 8)}…</span> and its key ID (stored nowhere)
              </span>
            )}
            {pinned && <span className="text-xs font-semibold">(pinned: press it again to release)</span>}
          </p>
          <p className="mt-1 text-xs">
            {keyLoc.places.length === 0
              ? 'Kept nowhere any more: without this key its data cannot be read.'
              : `Lives in ${keyLoc.places.length} place${keyLoc.places.length === 1 ? '' : 's'}: ` +
                keyLoc.places.map((p) => describePlace(p, names)).join('; ') +
                '.'}
          </p>
        </div>
      )}
    </div>
  );
}
