// Pages under test expose `window.sensorRelayTest` (src/renderer/testControl.ts declares it globally).
import type {} from '../../../src/renderer/testControl';
