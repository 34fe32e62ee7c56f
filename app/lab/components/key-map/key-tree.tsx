// The wrap hierarchy column: each key once, nested under the key that wraps it (KDK ⊃ KEK ⊃ DEK).
import type { KeyLocation } from '@/machines/lab-types';
import type { KeyTreeNode } from './key-map-model';
import { KeyChip, type ChipHighlight } from './key-chip';

export interface KeyTreeProps {
  roots: KeyTreeNode[];
  byId: Map<string, KeyLocation>;
  highlight: ChipHighlight;
}

function Branch(props: KeyTreeProps & { nodes: KeyTreeNode[]; depth: number }) {
  const { nodes, depth, ...rest } = props;
  return (
    <ul className={depth === 0 ? 'space-y-2' : 'mt-1 space-y-1 border-l-2 border-slate-300 pl-3 dark:border-slate-600'}>
      {nodes.map((n) => (
        <li key={n.key.keyId} className="relative">
          {depth > 0 && (
            <span
              aria-hidden="true"
              className="absolute top-3 -left-3 h-0 w-3 border-t-2 border-slate-300 dark:border-slate-600"
            />
          )}
          <KeyChip
            keyLoc={n.key}
            form="plain"
            role="tree"
            where={n.key.wrappedBy ? `in the hierarchy, wrapped by ${rest.byId.get(n.key.wrappedBy)?.level ?? 'key'} ${n.key.wrappedBy}` : 'in the hierarchy, at the top'}
            wrapper={null}
            highlight={rest.highlight}
          />
          {n.children.length > 0 && <Branch {...rest} roots={rest.roots} nodes={n.children} depth={depth + 1} />}
        </li>
      ))}
    </ul>
  );
}

export function KeyTree(props: KeyTreeProps) {
  if (props.roots.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-300">No keys exist yet.</p>;
  }
  return <Branch {...props} nodes={props.roots} depth={0} />;
}
