/**
 * Roster CSV import and export (RFC 4180: comma separated, fields quoted with `"` when they hold
 * commas, quotes or line breaks, `""` inside quotes). The first row is the header; columns are
 * matched by name, in any order. Import is all or nothing: any bad line fails the whole import
 * with a message per line, so a roster is never half-imported.
 */
import { MAX_PARTICIPANTS, participantSchema, PARTICIPANT_COLOURS, SEXES, type Participant } from './participant';
import { csvField, restoreCsvText } from '../csvCell';

/** Columns of the roster CSV, in export order. Lists (zones, devices) are separated by `;`. */
export const ROSTER_CSV_COLUMNS = [
  'id',
  'name',
  'terra_user_id',
  'token_ref',
  'max_hr_bpm',
  'zones_bpm',
  'colour',
  'age_years',
  'weight_kg',
  'sex',
  'devices',
] as const;
type Column = (typeof ROSTER_CSV_COLUMNS)[number];

/** A CSV parse: rows of fields, each row with the line number it starts on (1-based). */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** Split CSV text into rows; an unterminated quote is an error naming its line. */
export function parseCsvRows(text: string): { ok: true; rows: CsvRow[] } | { ok: false; message: string } {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (inQuotes) return { ok: false, message: `line ${quoteLine}: a quoted field is never closed (missing ")` };
  if (field !== '' || fields.length > 0) endRow();
  return { ok: true, rows };
}

/** Quote a field when needed and neutralise formulas (one mechanism: src/shared/csvCell.ts). */
export { csvField };

/** Join rows into CSV text (CRLF line ends, as spreadsheets expect). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Roster as CSV text. */
export function rosterToCsv(participants: readonly Participant[]): string {
  const rows: string[][] = [[...ROSTER_CSV_COLUMNS]];
  for (const p of participants) {
    rows.push([
      p.id,
      p.name,
      p.terraUserId ?? '',
      p.tokenRef ?? '',
      p.maxHrBpm === null ? '' : String(p.maxHrBpm),
      p.zonesBpm ? p.zonesBpm.join(';') : '',
      p.colour,
      p.ageYears === null ? '' : String(p.ageYears),
      p.weightKg === null ? '' : String(p.weightKg),
      p.sex ?? '',
      p.deviceIds.join(';'),
    ]);
  }
  return formatCsv(rows);
}

/** Most line errors listed in one message. */
const MAX_ERRORS_SHOWN = 10;

/** Parse roster CSV; on any error, every bad line is reported and nothing is returned. */
export function rosterFromCsv(text: string): { ok: true; participants: Participant[] } | { ok: false; errors: string[] } {
  const parsed = parseCsvRows(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.message] };
  const [header, ...body] = parsed.rows;
  if (!header) return { ok: false, errors: ['the file is empty: expected a header row (id,name,…)'] };
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  const errors: string[] = [];
  for (const c of columns) {
    if (!(ROSTER_CSV_COLUMNS as readonly string[]).includes(c)) {
      errors.push(`line ${header.line}: unknown column "${c}" (known: ${ROSTER_CSV_COLUMNS.join(', ')})`);
    }
  }
  if (!columns.includes('name')) errors.push(`line ${header.line}: the header has no "name" column`);
  if (errors.length > 0) return { ok: false, errors };

  if (body.length > MAX_PARTICIPANTS) {
    return { ok: false, errors: [`the file lists ${body.length} athletes; a roster holds at most ${MAX_PARTICIPANTS}. Split the file or remove athletes who no longer train.`] };
  }
  const participants: Participant[] = [];
  const ids = new Map<string, number>();
  const nextSuffix = new Map<string, number>();
  const devices = new Map<string, number>();
  for (const row of body) {
    if (row.fields.length > columns.length) {
      errors.push(`line ${row.line}: ${row.fields.length} fields but the header has ${columns.length} (unquoted comma?)`);
      continue;
    }
    const get = (c: Column): string => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : restoreCsvText((row.fields[i] ?? '').trim());
    };
    const result = rowToParticipant(get, participants.length);
    if (!result.ok) {
      errors.push(`line ${row.line}: ${result.message}`);
      continue;
    }
    const p = result.participant;
    const id = get('id') || autoId(p.name, ids, nextSuffix);
    const seenAt = ids.get(id);
    if (seenAt !== undefined) {
      errors.push(`line ${row.line}: id "${id}" is already used on line ${seenAt}`);
      continue;
    }
    ids.set(id, row.line);
    for (const d of p.deviceIds) {
      const at = devices.get(d);
      if (at !== undefined) errors.push(`line ${row.line}: sensor "${d}" is already assigned on line ${at} (one sensor, one athlete)`);
      else devices.set(d, row.line);
    }
    participants.push({ ...p, id });
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS_SHOWN);
    if (errors.length > MAX_ERRORS_SHOWN) shown.push(`…and ${errors.length - MAX_ERRORS_SHOWN} more`);
    return { ok: false, errors: shown };
  }
  return { ok: true, participants };
}

/** An id from a name, unique among `used`; `nextSuffix` remembers where each base left off (linear, not quadratic, for many equal names). */
function autoId(name: string, used: Map<string, number>, nextSuffix: Map<string, number>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'athlete';
  if (!used.has(base)) return base;
  let n = nextSuffix.get(base) ?? 2;
  while (used.has(`${base}-${n}`)) n++;
  nextSuffix.set(base, n + 1);
  return `${base}-${n}`;
}

type RowResult = { ok: true; participant: Participant } | { ok: false; message: string };

function rowToParticipant(get: (c: Column) => string, index: number): RowResult {
  const num = (c: Column): number | null | string => {
    const v = get(c);
    if (v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : `${c} "${v}" is not a number`;
  };
  const fields = { maxHrBpm: num('max_hr_bpm'), ageYears: num('age_years'), weightKg: num('weight_kg') };
  for (const v of Object.values(fields)) if (typeof v === 'string') return { ok: false, message: v };
  const zonesText = get('zones_bpm');
  let zonesBpm: number[] | null = null;
  if (zonesText !== '') {
    zonesBpm = zonesText.split(';').map((s) => Number(s.trim()));
    if (zonesBpm.some((z) => !Number.isFinite(z))) {
      return { ok: false, message: `zones_bpm "${zonesText}" must be five numbers separated by ";" (e.g. 95;114;133;152;171)` };
    }
  }
  const sex = get('sex').toLowerCase();
  const sexValue = sex === '' ? null : sex === 'm' ? 'male' : sex === 'f' ? 'female' : sex;
  if (sexValue !== null && !(SEXES as readonly string[]).includes(sexValue)) {
    return { ok: false, message: `sex "${get('sex')}" must be male, female, m, f or empty` };
  }
  const candidate = {
    id: get('id') || 'pending',
    name: get('name'),
    terraUserId: get('terra_user_id') || null,
    tokenRef: get('token_ref') || null,
    maxHrBpm: fields.maxHrBpm,
    zonesBpm,
    colour: get('colour') || PARTICIPANT_COLOURS[index % PARTICIPANT_COLOURS.length],
    ageYears: fields.ageYears,
    weightKg: fields.weightKg,
    sex: sexValue,
    deviceIds: get('devices') === '' ? [] : get('devices').split(';').map((s) => s.trim()).filter((s) => s !== ''),
  };
  const parsed = participantSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    return { ok: false, message: `${COLUMN_OF[field] ?? field}: ${issue.message}` };
  }
  return { ok: true, participant: parsed.data };
}

const COLUMN_OF: Record<string, Column> = {
  id: 'id',
  name: 'name',
  terraUserId: 'terra_user_id',
  tokenRef: 'token_ref',
  maxHrBpm: 'max_hr_bpm',
  zonesBpm: 'zones_bpm',
  colour: 'colour',
  ageYears: 'age_years',
  weightKg: 'weight_kg',
  sex: 'sex',
  deviceIds: 'devices',
};
