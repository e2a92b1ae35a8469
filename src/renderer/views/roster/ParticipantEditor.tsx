/** Add or edit one athlete: name or alias, Terra user id, token source, max HR or zones, colour, body data for calories. */
import { useState } from 'react';
import type { Participant } from '../../../shared/roster/participant';
import { client } from '../../app';
import { userMessage } from '../../userMessage';

/** Props of {@link ParticipantEditor}. */
export interface ParticipantEditorProps {
  readonly participant: Participant | null;
  readonly onDone: () => void;
  /** Colour offered to a new participant. */
  readonly newColour?: string;
}

const numberOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/** The editor form. */
export function ParticipantEditor({ participant, onDone, newColour = '#4cc2ff' }: ParticipantEditorProps): React.JSX.Element {
  const p = participant;
  const [f, setF] = useState({
    name: p?.name ?? '',
    terraUserId: p?.terraUserId ?? '',
    tokenRef: p?.tokenRef ?? '',
    maxHrBpm: p?.maxHrBpm?.toString() ?? '',
    zonesBpm: p?.zonesBpm?.join(';') ?? '',
    colour: p?.colour ?? newColour,
    ageYears: p?.ageYears?.toString() ?? '',
    weightKg: p?.weightKg?.toString() ?? '',
    sex: p?.sex ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const field = (key: keyof typeof f, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}): React.JSX.Element => (
    <label className="field">
      <span>{label}</span>
      <input value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })} aria-label={label} {...extra} />
    </label>
  );
  const save = async (): Promise<void> => {
    const zones = f.zonesBpm.trim() === '' ? null : f.zonesBpm.split(/[;,\s]+/).filter(Boolean).map(Number);
    const r = await client.call('roster.upsertParticipant', {
      participant: {
        ...(p ? { id: p.id } : {}),
        name: f.name,
        terraUserId: f.terraUserId.trim() || null,
        tokenRef: f.tokenRef.trim() || null,
        maxHrBpm: numberOrNull(f.maxHrBpm),
        zonesBpm: zones,
        colour: f.colour,
        ageYears: numberOrNull(f.ageYears),
        weightKg: numberOrNull(f.weightKg),
        sex: f.sex === 'male' || f.sex === 'female' ? f.sex : null,
      },
    });
    if (r.ok) onDone();
    else setError(userMessage(r, p ? `save ${p.name}` : 'add the athlete'));
  };
  return (
    <div className="participant-editor" data-testid="participant-editor">
      <h3>{p ? `Edit ${p.name}` : 'New athlete'}</h3>
      <div className="editor-grid">
        {field('name', 'Name or alias')}
        {field('terraUserId', 'Terra user id')}
        {field('tokenRef', 'Token source (keychain entry)')}
        {field('maxHrBpm', 'Max HR (bpm)', { inputMode: 'numeric' })}
        {field('zonesBpm', 'Zones 1–5 from (bpm, ; separated)', { placeholder: 'default: 50/60/70/80/90 % of max' })}
        {field('colour', 'Colour', { type: 'color' })}
        {field('ageYears', 'Age (years)', { inputMode: 'numeric' })}
        {field('weightKg', 'Weight (kg)', { inputMode: 'decimal' })}
        <label className="field">
          <span>Sex (for calories)</span>
          <select value={f.sex} onChange={(e) => setF({ ...f, sex: e.target.value as typeof f.sex })} aria-label="Sex">
            <option value="">not given</option>
            <option value="female">female</option>
            <option value="male">male</option>
          </select>
        </label>
      </div>
      <p className="muted">Calories need age, weight and sex (Keytel et al. 2005); without them the summary leaves calories empty.</p>
      {error && <div className="notice notice-error">{error}</div>}
      <div className="editor-actions">
        <button className="primary" onClick={() => void save()} data-testid="save-participant">
          Save
        </button>
        <button onClick={onDone}>Cancel</button>
      </div>
    </div>
  );
}
