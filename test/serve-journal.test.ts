// issue 8 item 3: a long `collaudo serve` keeps a bounded journal (a ring of the last N entries) and
// writes a summary line per interval instead of one stderr line per message. Before: the journal
// grew by every message for ever and stderr got one line each.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { SessionJournal, DEFAULT_JOURNAL_SIZE } from '../cli/serve-journal.js';
import { rawRequest, startAll } from './support/servers.js';
import { freePort } from './support/net.js';
import { ROOT } from './support/cli.js';

const soapPost = (body: string) => `POST /nodeForPsp HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Type: text/xml\r\nSOAPAction: verifyPaymentNotice\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('the session journal of serve', () => {
  it('keeps at most N entries however many messages pass, counts them all, and summarises per interval', async () => {
    const lines: string[] = [];
    const journal = new SessionJournal(new RealClock(), { size: 50, summaryMs: 0, out: (l) => lines.push(l) });
    const s = await startAll(journal);
    try {
      const nodo = s.targets.find((t) => t.name === 'nodo')!;
      let max = 0;
      for (let i = 0; i < 150; i++) {
        const r = await rawRequest(nodo, soapPost(`<x${i}/>`));
        expect(r.status).toBe(500);
        max = Math.max(max, journal.entries.length);
      }
      expect(max).toBeLessThanOrEqual(50);
      expect(journal.entries).toHaveLength(50);
      expect(journal.recorded).toBeGreaterThanOrEqual(300);
      // the ring keeps the latest entries, numbered over the whole session
      expect(journal.entries.at(-1)!.seq).toBe(journal.recorded);
      expect(journal.entries[0]!.seq).toBe(journal.recorded - 49);
      expect(lines).toHaveLength(0);
      const line = journal.summary()!;
      expect(line).toMatch(/150 request\(s\): .*; 150 error\/KO answer\(s\); journal keeps 50 of \d+ entries/);
      expect(journal.summary()).toBeUndefined(); // nothing new: no line
    } finally {
      journal.close();
      await s.stop();
    }
    expect(DEFAULT_JOURNAL_SIZE).toBe(1000);
  });

  it('verbose: one line per message', () => {
    const lines: string[] = [];
    const j = new SessionJournal(new RealClock(), { size: 5, summaryMs: 0, verbose: true, out: (l) => lines.push(l) });
    for (let i = 0; i < 3; i++) j.record({ exchange: i, direction: 'request', from: 'a', to: 'b', raw: '', correlation: {}, primitive: 'verifyPaymentNotice' });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/→ a → b verifyPaymentNotice/);
  });

  it('collaudo serve: no per-message stderr lines by default, a summary line instead', async () => {
    const [nodoPort, ecPort] = [await freePort(), await freePort()];
    const p = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--nodo-port', String(nodoPort), '--ec-port', String(ecPort)], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
    try {
      // wait for the banner (deadline), then send messages
      const t0 = Date.now();
      while (!stderr.includes('Ctrl-C to stop.')) {
        if (Date.now() - t0 > 60_000) throw new Error(`serve did not start: ${stderr}`);
        await new Promise((r) => p.stderr.once('data', r));
      }
      for (let i = 0; i < 20; i++) expect((await rawRequest({ host: '127.0.0.1', port: nodoPort }, soapPost('<bad/>'))).status).toBe(500);
    } finally {
      p.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/ [→←] /);
    expect(stderr).toMatch(/journal: the last 1000 entries in memory; a summary line every 10 s/);
    expect(stderr).toMatch(/20 request\(s\): .*; 20 error\/KO answer\(s\)/);
  });
});
