/** A Bluetooth pairing prompt (Windows and Linux): confirm, compare a PIN, or type the device's PIN. Takes the focus; Escape cancels. */
import { useState } from 'react';
import { useDialogFocus } from '../useDialogFocus';
import type { PairingPromptView } from './types';

/** Props of {@link PairingPrompt}. */
export interface PairingPromptProps {
  readonly prompt: PairingPromptView | null;
  readonly onAnswer: (requestId: number, answer: { confirmed: boolean; pin?: string }) => void;
}

/** The text asking the user, per kind of pairing. */
export function pairingQuestion(prompt: PairingPromptView): string {
  switch (prompt.kind) {
    case 'confirm':
      return `Pair with Bluetooth device ${prompt.deviceId}?`;
    case 'confirmPin':
      return `Does device ${prompt.deviceId} show the PIN ${prompt.pin ?? '(none)'}?`;
    case 'providePin':
      return `Type the PIN of device ${prompt.deviceId} (from its display or manual).`;
  }
}

/** The prompt dialog. */
export function PairingPrompt({ prompt, onAnswer }: PairingPromptProps): React.JSX.Element | null {
  const [pin, setPin] = useState('');
  const requestId = prompt?.requestId ?? null;
  const ref = useDialogFocus<HTMLDivElement>(requestId !== null, () => {
    if (requestId !== null) onAnswer(requestId, { confirmed: false });
  });
  if (!prompt) return null;
  const needsPin = prompt.kind === 'providePin';
  return (
    <div ref={ref} tabIndex={-1} className="ble-dialog" role="dialog" aria-modal="true" aria-label="Bluetooth pairing" data-testid="ble-pairing">
      <h3>Bluetooth pairing</h3>
      <p>{pairingQuestion(prompt)}</p>
      {needsPin && <input value={pin} onChange={(e) => setPin(e.target.value)} aria-label="PIN" inputMode="numeric" maxLength={32} />}
      <div className="sim-actions">
        <button
          className="primary"
          disabled={needsPin && pin.trim() === ''}
          onClick={() => onAnswer(prompt.requestId, needsPin ? { confirmed: true, pin: pin.trim() } : { confirmed: true })}
        >
          {prompt.kind === 'confirmPin' ? 'Yes, it matches' : 'Pair'}
        </button>
        <button onClick={() => onAnswer(prompt.requestId, { confirmed: false })}>Cancel</button>
      </div>
    </div>
  );
}
