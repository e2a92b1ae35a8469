import { spawn } from 'node:child_process';
import { it, expect } from 'vitest';
it('leaks', () => {
  const c = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  c.unref();
  expect(process.env.SENSOR_RELAY_TEST_RUN).toBeTruthy();
});
