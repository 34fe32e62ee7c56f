// The places a key can live, one lane each (KMS, vCenter, host RAM, TPM, VM files, backup), with a box per object.
import type { KeyLocation } from '@/machines/lab-types';
import type { Lane, LaneObject } from './key-map-model';
import { placeName } from './key-map-model';
import { KeyChip, type ChipHighlight } from './key-chip';

export interface KeyLanesProps {
  lanes: Lane[];
  byId: Map<string, KeyLocation>;
  names: Map<string, string>;
  highlight: ChipHighlight;
  onSelectObject?: (objectId: string) => void;
}

function ObjectBox(props: KeyLanesProps & { lane: Lane; object: LaneObject }) {
  const { lane, object, onSelectObject } = props;
  const heading = (
    <span className="flex min-w-0 items-center gap-1">
      <span className="truncate font-semibold">{object.name}</span>{' '}
      {object.note && (
        <span className="shrink-0 rounded bg-slate-200 px-1 text-[10px] font-medium text-slate-800 dark:bg-slate-700 dark:text-slate-100">
          {object.note}
        </span>
      )}
    </span>
  );
  return (
    <li
      className="flex w-40 shrink-0 flex-col gap-1 rounded-lg border border-slate-300 bg-white p-1.5 dark:border-slate-600 dark:bg-slate-900"
      data-object-id={object.objectId}
    >
      {onSelectObject ? (
        <button
          type="button"
          onClick={() => onSelectObject(object.objectId)}
          className="rounded text-left text-xs text-slate-900 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-slate-100"
          // Starts with what it says on screen (name and note: Label in Name), then what it does.
          aria-label={`${object.name}${object.note ? ` (${object.note})` : ''}: open its page`}
        >
          {heading}
        </button>
      ) : (
        <span className="text-xs text-slate-900 dark:text-slate-100">{heading}</span>
      )}
      {object.keys.length === 0 ? (
        <p className="text-[11px] leading-snug text-slate-600 italic dark:text-slate-300">{object.emptyText}</p>
      ) : (
        <ul className="flex flex-col gap-1" aria-label={`Keys in ${object.name}`}>
          {object.keys.map(({ key, form }) => (
            <li key={key.keyId}>
              <KeyChip
                keyLoc={key}
                form={form}
                role="place"
                where={`in ${placeName(lane.kind, object.objectId, props.names)}`}
                wrapper={key.wrappedBy ? (props.byId.get(key.wrappedBy) ?? null) : null}
                highlight={props.highlight}
              />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function KeyLanes(props: KeyLanesProps) {
  return (
    <ol className="flex flex-col gap-2" aria-label="Places where keys live">
      {props.lanes.map((lane) => (
        <li
          key={lane.kind}
          data-lane={lane.kind}
          className="flex gap-3 rounded-lg border border-slate-200 bg-slate-100/70 p-2 dark:border-slate-700 dark:bg-slate-800/60"
        >
          <div className="w-32 shrink-0">
            <h4 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{lane.title}</h4>
            <p className="text-[11px] leading-snug text-slate-600 dark:text-slate-300">{lane.blurb}</p>
          </div>
          {lane.objects.length === 0 ? (
            <p className="self-center text-sm text-slate-700 italic dark:text-slate-200">{lane.emptyText}</p>
          ) : (
            <ul className="flex min-w-0 flex-wrap gap-2">
              {lane.objects.map((o) => (
                <ObjectBox key={o.objectId} {...props} lane={lane} object={o} />
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
