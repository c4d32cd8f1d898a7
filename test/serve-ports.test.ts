// issue 8 item 9: `collaudo serve` on a busy or invalid port stops at once with exit 2 and one line,
// releasing what it had opened. Before: "internal error (exit 4)" and a half-started process that
// kept the reference EC listening.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { serve } from '../cli/serve.js';
import { UsageError } from '../cli/errors.js';

let busy: net.Server;
let busyPort: number;
beforeAll(async () => {
  busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => busy.close(() => r()));
});

/** true when something accepts connections on the port */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

describe('serve on a busy or invalid port', () => {
  it('a busy Nodo port: exit 2, one line naming the port, within seconds', async () => {
    const ecPort = await freePort();
    const r = await collaudo(['serve', '--nodo-port', String(busyPort), '--ec-port', String(ecPort)], {}, 60_000);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`reference Nodo on 127\\.0\\.0\\.1:${busyPort}: cannot listen \\(the port is in use\\)`));
    expect(r.stderr).not.toMatch(/internal error|exit 4|\n\s+at /);
    expect(await listening(ecPort)).toBe(false);
  });

  it('an invalid port: exit 2 with a one-line message, nothing started', async () => {
    for (const bad of ['abc', '70000']) {
      const r = await collaudo(['serve', '--ec-port', bad], {}, 60_000);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(r.stderr).toMatch(/--ec-port .*not a port/);
    }
  });

  it('a busy PSP port (serve --psp): exit 2', async () => {
    const r = await collaudo(['serve', '--psp', '--psp-port', String(busyPort), '--nodo-url', 'http://127.0.0.1:1/nodeForPsp'], {}, 60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reference PSP on .*cannot listen \(the port is in use\)/);
  });

  it('in process: the EC started before the busy Nodo port is closed again', async () => {
    const ecPort = await freePort();
    const e = await serve({ host: '127.0.0.1', nodoPort: busyPort, ecPort }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(await listening(ecPort)).toBe(false);
  });
});
