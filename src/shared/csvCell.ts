/**
 * One CSV cell, written safely (docs/security.md "CSV"): RFC 4180 quoting (a field holding a
 * comma, quote, line break or edge whitespace is quoted, `"` doubled) and formula neutralisation
 * after the OWASP "CSV Injection" guidance: a text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * gets a leading `'`, so no spreadsheet runs it as a formula. Real numbers (`-12.5`, `+3e2`) stay
 * numbers. Every CSV this app writes goes through {@link csvField}.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Text that a spreadsheet would not run: a leading `'` before a formula trigger, unless it is a number. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/** Undo {@link neutralizeFormula} when reading our own CSV back (a `'` before a trigger character). */
export function restoreCsvText(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) && !NUMBER.test(text.slice(1)) ? text.slice(1) : text;
}

/** One CSV field: neutralised, then quoted when needed. */
export function csvField(value: string): string {
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
