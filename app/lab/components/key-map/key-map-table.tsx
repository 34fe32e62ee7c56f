// The key map as a table: the same facts as the picture, for screen readers and for reading.
import type { KeyLocation } from '@/machines/lab-types';
import { describePlace, LEVEL_LABEL, NO_PLAIN_COPY } from './key-map-model';
import { LEVEL_LOOK } from './key-style';

export function KeyMapTable(props: { keyMap: KeyLocation[]; names: Map<string, string> }) {
  const { keyMap, names } = props;
  const byId = new Map(keyMap.map((k) => [k.keyId, k]));
  if (keyMap.length === 0) {
    return <p className="text-sm text-slate-700 dark:text-slate-200">No keys exist yet.</p>;
  }
  const order = { KDK: 0, KEK: 1, DEK: 2 } as const;
  const rows = [...keyMap].sort((a, b) => order[a.level] - order[b.level] || a.keyId.localeCompare(b.keyId));
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="mb-1 text-left text-sm text-slate-700 dark:text-slate-200">
          Every key in the lab and every place it is kept
        </caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-600">
            <th scope="col" className="py-1 pr-3">Level</th>
            <th scope="col" className="py-1 pr-3">Key ID</th>
            <th scope="col" className="py-1 pr-3">Fingerprint</th>
            <th scope="col" className="py-1 pr-3">Wrapped by</th>
            <th scope="col" className="py-1">Where it lives</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => {
            const wrapper = k.wrappedBy ? byId.get(k.wrappedBy) : undefined;
            return (
              <tr key={k.keyId} className="border-b border-slate-200 align-top dark:border-slate-700">
                <th scope="row" className="py-1 pr-3 font-normal">
                  <span className={`rounded px-1 text-[11px] font-bold ${LEVEL_LOOK[k.level].tag}`}>{k.level}</span>
                  <span className="sr-only"> ({LEVEL_LABEL[k.level]})</span>
                </th>
                <td className="py-1 pr-3 font-mono text-xs break-all">{k.keyId}</td>
                <td className="py-1 pr-3 font-mono text-xs break-all">{k.fingerprint || <span className="font-sans">{NO_PLAIN_COPY}</span>}</td>
                <td className="py-1 pr-3 font-mono text-xs break-all">
                  {k.wrappedBy ? `${wrapper?.level ?? 'key'} ${k.wrappedBy}` : '—'}
                </td>
                <td className="py-1">
                  {k.places.length === 0 ? (
                    <span className="italic">nowhere: the key is lost</span>
                  ) : (
                    <ul className="list-disc pl-4">
                      {k.places.map((p) => (
                        <li key={`${p.kind}:${p.objectId}`}>{describePlace(p, names)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
