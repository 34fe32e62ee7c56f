// Move up / Move down for one item of an ordered list: the KMS nodes in the order vCenter tries them, both while a
// standard provider is being added and on its card afterwards.
import { Button } from '../../components/ui/button';

/** `list` with the item at `i` swapped with its neighbour above (-1) or below (1); unchanged at either end. */
export function moved<T>(list: T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j] as T, next[i] as T];
  return next;
}

export function MoveButtons(props: { name: string; index: number; count: number; busyReason?: string | null; onMove: (by: -1 | 1) => void }) {
  const { name, index, count, busyReason = null, onMove } = props;
  return (
    <>
      <Button size="sm" variant="ghost" aria-label={`Move ${name} up`} disabledReason={index === 0 ? 'Already first' : busyReason} reasonHidden onClick={() => onMove(-1)}>
        ↑
      </Button>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Move ${name} down`}
        disabledReason={index === count - 1 ? 'Already last' : busyReason}
        reasonHidden
        onClick={() => onMove(1)}
      >
        ↓
      </Button>
    </>
  );
}
