/** Helpers for the gym-mode specs: a 50-athlete roster for the gym50 scenario's straps. */
import type { Page } from '@playwright/test';

const FIRST_NAMES = [
  'Ana', 'Ben', 'Chloé', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Omar',
  'Priya', 'Quinn', 'Rosa', 'Sami', 'Tess', 'Uma', 'Vik', 'Wren', 'Xavi', 'Yara', 'Zoe', 'Aiko', 'Bruno', 'Cleo', 'Dario',
  'Esme', 'Finn', 'Gia', 'Hugo', 'Isla', 'Jonas', 'Kira', 'Leo', 'Maya', 'Nils', 'Olga', 'Pablo', 'Rhea', 'Sven', 'Tara',
  'Ugo', 'Vera', 'Will', 'Yusuf', 'Zara',
];

/** Athlete id of strap `i` (1-based). */
export function athleteId(i: number): string {
  return `a${String(i).padStart(2, '0')}`;
}

/** Device id of the gym50 scenario's strap `i` (1-based). */
export function strapId(i: number): string {
  return `sim:strap${String(i).padStart(2, '0')}`;
}

/** Roster CSV: 50 athletes, athlete i wears strap i. */
export function roster50Csv(): string {
  const rows = ['id,name,max_hr_bpm,devices'];
  for (let i = 1; i <= 50; i++) rows.push(`${athleteId(i)},${FIRST_NAMES[i - 1]} ${String.fromCharCode(64 + ((i * 7) % 26) + 1)}.,${172 + ((i * 3) % 24)},${strapId(i)}`);
  return rows.join('\n') + '\n';
}

/** Open the app, load gym50 and the roster (replacing whatever an earlier run left). */
export async function startGym(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => window.sensorRelayTest !== undefined);
  await page.evaluate(() => window.sensorRelayTest!.loadScenario('gym50'));
  await page.evaluate((csv) => window.sensorRelayTest!.roster.importCsv(csv, 'replace'), roster50Csv());
}
