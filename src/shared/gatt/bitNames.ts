/**
 * Bit fields described as data (feature characteristics 0x2A65, 0x2A5C, 0x2A54, 0x2ACC; docs/gatt.md
 * §4, §6, §7, §8.3): a table of bit → name, decoded into the list of names whose bit is set, in bit order.
 */

/** One named bit of a bit field. */
export interface BitName<N extends string = string> {
  readonly bit: number;
  readonly name: N;
}

/** Names of the set bits of `value` (bits not in the table, i.e. reserved ones, are ignored). */
export function readBitNames<N extends string>(value: number, table: readonly BitName<N>[]): N[] {
  const out: N[] = [];
  for (const b of table) if (Math.floor(value / 2 ** b.bit) % 2 === 1) out.push(b.name);
  return out;
}

/** The bit field with the named bits set (unsigned, up to 32 bits). */
export function writeBitNames<N extends string>(names: readonly N[], table: readonly BitName<N>[]): number {
  let value = 0;
  for (const b of table) if (names.includes(b.name)) value += 2 ** b.bit;
  return value;
}

/** Build a table from names listed in bit order starting at bit 0. */
export function bitTable<N extends string>(names: readonly N[]): BitName<N>[] {
  return names.map((name, bit) => ({ bit, name }));
}
