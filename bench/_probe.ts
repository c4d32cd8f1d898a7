import { RealClock } from '../src/clock.js';
import { startWorld } from './world.js';
import { oneFlow } from './flows.js';
import { msSince, nowNs } from './stats.js';
const w = await startWorld(new RealClock());
for (let slice = 0; slice < 8; slice++) {
  const t0 = nowNs();
  for (let i = 0; i < 500; i++) await oneFlow(w);
  const ms = msSince(t0);
  const t1 = nowNs();
  for (let i = 0; i < 200; i++) w.ec.provision({ state: 'payable' });
  console.log(`after ${(slice + 1) * 500} flows: ${(500 / ms * 1000).toFixed(0)} flows/s; provision ${(msSince(t1) / 200 * 1000).toFixed(0)} µs`);
  w.newJournal();
}
await w.stop();
process.exit(0);
