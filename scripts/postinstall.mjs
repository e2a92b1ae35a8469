// After `npm install`: tell the user, once, whether the desktop app can start on this machine.
// npm 11 does not run electron's own download script unless it is approved, and on machines
// without access to Electron's download servers it could not succeed anyway.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
try {
  const dir = dirname(require.resolve('electron/package.json'));
  if (!existsSync(join(dir, 'path.txt'))) {
    console.log(
      'sensor-relay: the Electron binary was not downloaded. `npm run web` runs the app in a browser; ' +
        'for the desktop app run `node node_modules/electron/install.js` where Electron\'s download servers are reachable.',
    );
  }
} catch {
  // electron is a dev dependency; a production install without it needs no message
}
