// Label/value pairs as a <dl>: each pair in a `contents` box so the list's own grid lays out terms and values. The
// object pages' facts and a lesson's score use it, each with its own grid and colours.
import type { ReactNode } from 'react';

export function DefinitionList(props: {
  items: [term: string, value: ReactNode][];
  /** The <dl>'s grid: its columns decide how many pairs share a row. */
  className: string;
  termClassName: string;
  valueClassName: string;
  testId?: string;
}) {
  return (
    <dl className={props.className} data-testid={props.testId}>
      {props.items.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className={props.termClassName}>{term}</dt>
          <dd className={props.valueClassName}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
