/**
 * Table-driven reader and writer for GATT characteristic values (docs/gatt.md §11 "Decoder rules").
 * A characteristic is described as data: a flags word, flag-only values (bit ranges of the flags),
 * and groups of fields, each present when its flag bit says so (or always). All reads are explicit
 * little-endian `DataView` reads relative to the view (its `byteOffset` is respected by `DataView`
 * itself); every group is bounds-checked, a group that does not fit is listed in `missing`, never guessed.
 */
import { fail, ok, type Result } from '../errors';

/** Wire types used by the GATT characteristics this app reads. */
export type FieldType = 'uint8' | 'sint8' | 'uint16' | 'sint16' | 'uint24' | 'uint32';

/** Size in bytes of each {@link FieldType}. */
export const FIELD_SIZES: { readonly [K in FieldType]: number } = {
  uint8: 1,
  sint8: 1,
  uint16: 2,
  sint16: 2,
  uint24: 3,
  uint32: 4,
};

const RANGES: { readonly [K in FieldType]: readonly [number, number] } = {
  uint8: [0, 0xff],
  sint8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  sint16: [-0x8000, 0x7fff],
  uint24: [0, 0xffffff],
  uint32: [0, 0xffffffff],
};

/** One field of a characteristic value. */
export interface FieldSpec {
  /** Property name in the decoded record (units in the name). */
  readonly name: string;
  readonly type: FieldType;
  /** Unit of the decoded value (for docs and the README). */
  readonly unit: string;
  /** Decoded value = raw / divisor (the spec's resolution: 100 for 0.01). Default 1. */
  readonly divisor?: number;
  /** Raw value that means "not available" (the field is then absent). */
  readonly fill?: number;
  /** Packed sub-field: the value is `bitWidth` bits of the raw value starting at `bitShift`. */
  readonly bitShift?: number;
  readonly bitWidth?: number;
  /** The next field reads the same bytes (packed sub-fields share one raw value). */
  readonly sharesBytes?: boolean;
}

/** Fields that appear together under one flag bit. */
export interface FieldGroup {
  /** Flag bit announcing the group; null: always present. */
  readonly bit: number | null;
  /** Present when the bit is clear (FTMS "More Data"). */
  readonly isInverted?: boolean;
  /** When present, the value is rejected if the group does not fit (always-present groups are required too). */
  readonly isRequired?: boolean;
  /** The single field repeats to the end of the value (HR RR intervals); decoded as a list. */
  readonly repeats?: boolean;
  readonly fields: readonly FieldSpec[];
}

/** A value carried by flag bits alone (no field), e.g. HR contact status bits 1–2. */
export interface FlagValueSpec {
  readonly name: string;
  readonly shift: number;
  readonly width: number;
}

/** The layout of one characteristic value. */
export interface Layout {
  /** Name used in error messages, e.g. "Heart Rate Measurement 0x2A37". */
  readonly name: string;
  readonly flagsType: 'uint8' | 'uint16' | 'uint32';
  readonly flagValues: readonly FlagValueSpec[];
  readonly groups: readonly FieldGroup[];
}

/** What {@link readLayout} found: field values by name, repeated fields as lists, and what did not fit. */
export interface RawFields {
  readonly flags: number;
  readonly values: Record<string, number>;
  readonly lists: Record<string, number[]>;
  /** Names of fields the flags announced that did not fit in the value (dropped). */
  readonly missing: string[];
  /** Bytes read. */
  readonly lengthBytes: number;
}

/** Read one field's raw value at `offset` (caller has checked the bounds). */
export function readRaw(dv: DataView, offset: number, type: FieldType): number {
  switch (type) {
    case 'uint8':
      return dv.getUint8(offset);
    case 'sint8':
      return dv.getInt8(offset);
    case 'uint16':
      return dv.getUint16(offset, true);
    case 'sint16':
      return dv.getInt16(offset, true);
    case 'uint24':
      return dv.getUint16(offset, true) + dv.getUint8(offset + 2) * 0x10000;
    case 'uint32':
      return dv.getUint32(offset, true);
  }
}

/** Write one raw value (clamped to the type's range, rounded) at `offset`. */
export function writeRaw(dv: DataView, offset: number, type: FieldType, raw: number): void {
  const [min, max] = RANGES[type];
  const v = Number.isFinite(raw) ? Math.min(max, Math.max(min, Math.round(raw))) : 0;
  switch (type) {
    case 'uint8':
      return dv.setUint8(offset, v);
    case 'sint8':
      return dv.setInt8(offset, v);
    case 'uint16':
      return dv.setUint16(offset, v, true);
    case 'sint16':
      return dv.setInt16(offset, v, true);
    case 'uint24':
      dv.setUint16(offset, v & 0xffff, true);
      return dv.setUint8(offset + 2, (v >>> 16) & 0xff);
    case 'uint32':
      return dv.setUint32(offset, v >>> 0, true);
  }
}

/** Bytes one occurrence of a group takes. */
export function groupSize(group: FieldGroup): number {
  let size = 0;
  for (const f of group.fields) if (!f.sharesBytes) size += FIELD_SIZES[f.type];
  return size;
}

/** Whether `group` is present under `flags`. */
export function isGroupPresent(group: FieldGroup, flags: number): boolean {
  if (group.bit === null) return true;
  const isSet = ((flags >>> group.bit) & 1) === 1;
  return group.isInverted ? !isSet : isSet;
}

/** Expected value length in bytes for `flags` (repeating groups count as zero occurrences). */
export function layoutLength(layout: Layout, flags: number): number {
  let length = FIELD_SIZES[layout.flagsType];
  for (const g of layout.groups) if (!g.repeats && isGroupPresent(g, flags)) length += groupSize(g);
  return length;
}

function subValue(field: FieldSpec, raw: number): number {
  if (field.bitWidth === undefined) return raw;
  return Math.floor(raw / 2 ** (field.bitShift ?? 0)) % 2 ** field.bitWidth;
}

/**
 * Decode `dv` with `layout`. Fails with GATT_SHORT_PAYLOAD only when the flags or an always-present
 * field do not fit; optional groups that do not fit are listed in `missing` (with every later group).
 */
export function readLayout(dv: DataView, layout: Layout): Result<RawFields> {
  const flagsSize = FIELD_SIZES[layout.flagsType];
  if (dv.byteLength < flagsSize) {
    return fail('GATT_SHORT_PAYLOAD', `${layout.name}: ${dv.byteLength} byte(s), the flags alone need ${flagsSize}`);
  }
  const flags = readRaw(dv, 0, layout.flagsType);
  const values: Record<string, number> = {};
  const lists: Record<string, number[]> = {};
  const missing: string[] = [];
  for (const fv of layout.flagValues) values[fv.name] = Math.floor(flags / 2 ** fv.shift) % 2 ** fv.width;
  let offset = flagsSize;
  let isTruncated = false;
  for (const group of layout.groups) {
    if (!isGroupPresent(group, flags)) continue;
    if (isTruncated) {
      // Offsets of later fields are unknown once one group is cut off: they are dropped too.
      for (const f of group.fields) missing.push(f.name);
      continue;
    }
    if (group.repeats) {
      const field = group.fields[0]!;
      const size = FIELD_SIZES[field.type];
      const list: number[] = [];
      while (offset + size <= dv.byteLength) {
        list.push(readRaw(dv, offset, field.type) / (field.divisor ?? 1));
        offset += size;
      }
      lists[field.name] = list;
      continue;
    }
    const size = groupSize(group);
    if (offset + size > dv.byteLength) {
      if (group.bit === null || group.isRequired) {
        const need = offset + size;
        return fail(
          'GATT_SHORT_PAYLOAD',
          `${layout.name}: ${dv.byteLength} byte(s), need ${need} for ${group.fields.map((f) => f.name).join(', ')} (flags 0x${flags.toString(16)})`,
        );
      }
      for (const f of group.fields) missing.push(f.name);
      isTruncated = true;
      continue;
    }
    for (const field of group.fields) {
      const raw = readRaw(dv, offset, field.type);
      if (!field.sharesBytes) offset += FIELD_SIZES[field.type];
      if (field.fill !== undefined && raw === field.fill) continue;
      values[field.name] = subValue(field, raw) / (field.divisor ?? 1);
    }
  }
  return ok({ flags, values, lists, missing, lengthBytes: offset });
}

/** Values to encode: field values by name (undefined = absent), lists for repeating fields, flag-only values. */
export interface LayoutInput {
  readonly values: Readonly<Record<string, number | undefined>>;
  readonly lists?: Readonly<Record<string, readonly number[] | undefined>>;
  readonly flagValues?: Readonly<Record<string, number | undefined>>;
}

function isGroupGiven(group: FieldGroup, input: LayoutInput): boolean {
  if (group.repeats) return input.lists?.[group.fields[0]!.name] !== undefined;
  return group.fields.some((f) => input.values[f.name] !== undefined);
}

/**
 * Encode `input` with `layout`: a group is written (and its flag bit set, or cleared when inverted)
 * when any of its fields is given; a missing field of a written group is written as its fill value or 0.
 */
export function writeLayout(layout: Layout, input: LayoutInput): Uint8Array {
  let flags = 0;
  for (const fv of layout.flagValues) {
    const v = input.flagValues?.[fv.name] ?? 0;
    flags += (Math.max(0, Math.round(v)) % 2 ** fv.width) * 2 ** fv.shift;
  }
  let length = FIELD_SIZES[layout.flagsType];
  const given: boolean[] = [];
  for (const group of layout.groups) {
    const isGiven = isGroupGiven(group, input) || group.bit === null;
    given.push(isGiven);
    if (group.bit !== null && isGiven !== Boolean(group.isInverted)) flags |= 1 << group.bit;
    if (!isGiven) continue;
    length += group.repeats ? (input.lists?.[group.fields[0]!.name]?.length ?? 0) * FIELD_SIZES[group.fields[0]!.type] : groupSize(group);
  }
  const bytes = new Uint8Array(length);
  const dv = new DataView(bytes.buffer);
  writeRaw(dv, 0, layout.flagsType, flags >>> 0);
  let offset = FIELD_SIZES[layout.flagsType];
  layout.groups.forEach((group, i) => {
    if (!given[i]) return;
    if (group.repeats) {
      const field = group.fields[0]!;
      for (const v of input.lists?.[field.name] ?? []) {
        writeRaw(dv, offset, field.type, v * (field.divisor ?? 1));
        offset += FIELD_SIZES[field.type];
      }
      return;
    }
    let packed = 0;
    for (const field of group.fields) {
      const v = input.values[field.name];
      let raw = v === undefined ? (field.fill ?? 0) : v * (field.divisor ?? 1);
      if (field.bitWidth !== undefined) {
        packed += (Math.max(0, Math.round(raw)) % 2 ** field.bitWidth) * 2 ** (field.bitShift ?? 0);
        raw = packed;
      }
      if (field.sharesBytes) continue;
      writeRaw(dv, offset, field.type, raw);
      offset += FIELD_SIZES[field.type];
      packed = 0;
    }
  });
  return bytes;
}
