/**
 * Required-sensor checklist shown before Start: each required sensor with its state, missing ones
 * in red; Start with missing sensors asks for confirmation ("Start anyway"), and auto-start
 * waits until every required sensor is live.
 */
import { useState } from 'react';

/** One required sensor. */
export interface RequiredSensor {
  readonly id: string;
  readonly name: string;
}

/** Props of {@link SensorChecklist}. */
export interface SensorChecklistProps {
  readonly required: readonly RequiredSensor[];
  /** Ids of required sensors that are not live. */
  readonly missing: readonly string[];
  readonly isDisabled?: boolean;
  /** Start now; `isStartAnyway` is true only after the user confirmed starting with missing sensors. */
  readonly onStart: (isStartAnyway: boolean) => void;
  /** Start automatically once every required sensor is live (omit to hide the option). */
  readonly onAutoStart?: () => void;
}

/** The checklist and the Start buttons. */
export function SensorChecklist(props: SensorChecklistProps): React.JSX.Element {
  const [isConfirming, setIsConfirming] = useState(false);
  const missing = new Set(props.missing);
  const missingNames = props.required.filter((r) => missing.has(r.id)).map((r) => r.name);
  const start = (): void => {
    if (missing.size === 0) props.onStart(false);
    else setIsConfirming(true);
  };
  return (
    <section className="sensor-checklist" data-testid="sensor-checklist">
      {props.required.length > 0 && (
        <ul>
          {props.required.map((r) => (
            <li key={r.id} className={missing.has(r.id) ? 'missing' : 'ok'} data-testid={`required-${r.id}`}>
              {missing.has(r.id) ? '✗' : '✓'} {r.name} <span className="muted mono">{r.id}</span>
              {missing.has(r.id) && <span> — not connected</span>}
            </li>
          ))}
        </ul>
      )}
      {isConfirming ? (
        <div className="confirm" role="alertdialog" aria-label="Start with missing sensors">
          <p>
            {missingNames.length} required sensor{missingNames.length === 1 ? ' is' : 's are'} not live: {missingNames.join(', ')}. Their
            data will be missing from the recording until they connect.
          </p>
          <button
            className="danger"
            onClick={() => {
              setIsConfirming(false);
              props.onStart(true);
            }}
          >
            Start anyway
          </button>
          <button className="link" onClick={() => setIsConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="start-buttons">
          <button disabled={props.isDisabled} onClick={start} data-testid="start-recording">
            Start recording
          </button>
          {props.onAutoStart && missing.size > 0 && (
            <button className="link" disabled={props.isDisabled} onClick={props.onAutoStart}>
              Start when all are live
            </button>
          )}
        </div>
      )}
    </section>
  );
}
