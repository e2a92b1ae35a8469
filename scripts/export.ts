/**
 * `npm run export -- <session> [--out dir] [--format csv-long,csv-wide,fit,xdf,manifest] [--data-dir dir]`
 * Exports a recorded session from the command line. `<session>` is a session folder path or a
 * session id (folder name) in `<data dir>/sessions`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../src/main/cli';
import { exportSession } from '../src/main/recording/export/exportSession';
import { readManifestIn } from '../src/main/recording/recovery';
import { EXPORT_FORMAT_IDS, type ExportFormatId } from '../src/shared/recording/exportFormats';

const USAGE = `Usage: npm run export -- <session> [--out <dir>] [--format ${EXPORT_FORMAT_IDS.join(',')}] [--data-dir <dir>]

  <session>        a session folder, or a session id (folder name) under <data dir>/sessions
  --out <dir>      where to write the files (default: the session folder)
  --format <list>  comma-separated formats (default: all)
  --data-dir <dir> data directory of the app (default: $SENSOR_RELAY_DATA or the XDG data home)`;

/** Run the export CLI; returns the process exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        format: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help || parsed.positionals.length !== 1) {
    console.error(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const formats = (parsed.values.format ?? EXPORT_FORMAT_IDS.join(',')).split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !(EXPORT_FORMAT_IDS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    console.error(`Unknown format(s): ${unknown.join(', ')}. Choose from ${EXPORT_FORMAT_IDS.join(', ')}.`);
    return 2;
  }
  const arg = parsed.positionals[0]!;
  const dataDir = parsed.values['data-dir'] ?? defaultDataDir();
  const dir = existsSync(arg) ? resolve(arg) : join(dataDir, 'sessions', arg);
  const manifest = readManifestIn(dir);
  if (!manifest.ok) {
    console.error(`${manifest.message}\nGive a session folder or a session id from ${join(dataDir, 'sessions')}.`);
    return 1;
  }
  if (manifest.value.state === 'recording') {
    console.error(
      'Note: this session is still recording, or the app stopped without finishing it (the next app start recovers it). ' +
        'Exporting the records written so far.',
    );
  }
  let lastPct = -1;
  const result = await exportSession(dir, {
    formats: formats as ExportFormatId[],
    outDir: parsed.values.out ? resolve(parsed.values.out) : undefined,
    onProgress: (f) => {
      const pct = Math.floor(f * 100);
      if (pct >= lastPct + 10 || pct === 100) {
        lastPct = pct;
        process.stderr.write(`exporting… ${pct}%\n`);
      }
    },
  });
  if (!result.ok) {
    console.error(`${result.code}: ${result.message}`);
    return 1;
  }
  for (const w of result.value.warnings) console.error(`warning: ${w}`);
  console.log(`Exported ${result.value.samples} samples of ${manifest.value.base}:`);
  for (const f of result.value.files) console.log(`  ${f}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('export.ts')) {
  void main().then((code) => process.exit(code));
}
