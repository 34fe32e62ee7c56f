// Small outline icons for the inventory tree, one per kind of object (decorative: the label says what it is).
import type { TreeNodeKind } from './inventory-model';

const paths: Record<TreeNodeKind, string> = {
  vcenter: 'M3 4h14v9H3z M7 16h6 M10 13v3',
  'vcenter-gone': 'M3 4h14v9H3z M6 6l8 5 M14 6l-8 5',
  datacenter: 'M3 17V7l7-4 7 4v10z M8 17v-5h4v5',
  cluster: 'M4 5h5v5H4z M11 5h5v5h-5z M7.5 12h5v5h-5z',
  host: 'M3 4h14v4H3z M3 10h14v4H3z M6 6h.01 M6 12h.01',
  vm: 'M4 4h12v10H4z M4 7h12 M8 17h4',
  providers: 'M7 11a3 3 0 1 1 0-6 3 3 0 0 1 0 6z M9.5 9.5 16 16 M13 13l2-2 M15 15l1.5-1.5',
  provider: 'M7 11a3 3 0 1 1 0-6 3 3 0 0 1 0 6z M9.5 9.5 16 16 M13 13l2-2',
  kms: 'M4 3h12v14H4z M4 8h12 M4 13h12 M7 5.5h.01 M7 10.5h.01 M7 15h.01',
  datastore: 'M4 5c0-1.5 12-1.5 12 0v10c0 1.5-12 1.5-12 0z M4 5c0 1.5 12 1.5 12 0 M4 10c0 1.5 12 1.5 12 0',
  group: 'M3 6h5l2 2h7v8H3z',
  keymap: 'M3 5l4-2 6 2 4-2v12l-4 2-6-2-4 2z M7 3v12 M13 5v12',
};

export function NodeIcon({ kind }: { kind: TreeNodeKind }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      className="h-4 w-4 shrink-0 fill-none stroke-current text-slate-600 dark:text-slate-300"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={paths[kind]} />
    </svg>
  );
}
