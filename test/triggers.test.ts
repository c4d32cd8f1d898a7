// The trigger contract (src/triggers): one JSON Schema, three transports, clear errors.
import { describe, it, expect, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { CommandTrigger, HttpTrigger, PromptTrigger, ReportInbox, TRIGGER_CONTRACT, TriggerError, type TriggerRequest, validateTriggerRequest } from '../src/triggers/index.js';
import { PSP_DEFECTS } from '../candidates/psp/defects.js';
import { requirement } from '../src/catalogue/index.js';

const req = (over: Partial<TriggerRequest> = {}): TriggerRequest => ({
  contract: TRIGGER_CONTRACT, requestId: 'r-1', scenarioId: 'PSP-PAY-01', action: 'pay', fiscalCode: '77777777777', noticeNumber: '301000000000012345',
  amount: '12.34', deadline: new Date(Date.now() + 5000).toISOString(), deadlineMs: 5000, ...over,
});

describe('trigger request schema', () => {
  it('accepts a complete request', () => {
    expect(validateTriggerRequest(req()).action).toBe('pay');
  });
  it('names the field and the rule of each problem', () => {
    const bad = { ...req(), noticeNumber: '123', action: 'dance', extra: 1 } as unknown;
    expect(() => validateTriggerRequest(bad)).toThrow(TriggerError);
    try {
      validateTriggerRequest(bad);
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain('request.noticeNumber: must match ^[0-9]{18}$');
      expect(m).toContain('request.action: must be one of');
      expect(m).toContain('unknown field "extra"');
    }
  });
});

describe('transports', () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));
  const serve = async (status: number): Promise<{ url: string; got: string[] }> => {
    const got: string[] = [];
    const s = http.createServer((q, r) => {
      let b = '';
      q.on('data', (c) => (b += c));
      q.on('end', () => {
        got.push(b);
        r.writeHead(status);
        r.end(status === 202 ? '' : 'nope');
      });
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/trigger`, got };
  };
  it('HTTP hook: 202 is accepted and the body is the request JSON', async () => {
    const { url, got } = await serve(202);
    await new HttpTrigger(url).fire(req());
    expect(JSON.parse(got[0]!).scenarioId).toBe('PSP-PAY-01');
  });
  it('HTTP hook: another status is a TriggerError naming it', async () => {
    const { url } = await serve(500);
    await expect(new HttpTrigger(url).fire(req())).rejects.toThrow(/answered HTTP 500 instead of 202/);
  });
  it('HTTP hook: an unreachable hook is a TriggerError', async () => {
    await expect(new HttpTrigger('http://127.0.0.1:1/trigger').fire(req())).rejects.toThrow(/unreachable/);
  });
  it('command: the request arrives on stdin and in COLLAUDO_TRIGGER; a failing command is a TriggerError', async () => {
    await new CommandTrigger('x=$(cat); case "$x" in *PSP-PAY-01*) ;; *) exit 3;; esac; test "$COLLAUDO_TRIGGER" = "$x" && test "$COLLAUDO_ACTION" = pay').fire(req());
    await expect(new CommandTrigger('x=$(cat); case "$x" in *OTHER*) ;; *) exit 3;; esac').fire(req())).rejects.toThrow(/exited with 3/);
    await expect(new CommandTrigger('echo broken >&2; exit 7').fire(req())).rejects.toThrow(/exited with 7: broken/);
  });
  it('prompt: prints the action, the notice and the deadline', async () => {
    let text = '';
    const out = new Writable({ write(c, _e, cb) { text += c; cb(); } });
    await new PromptTrigger(out).fire(req({ action: 'abandon' }));
    expect(text).toContain('action: abandon');
    expect(text).toContain('77777777777 / 301000000000012345');
    expect(text).toMatch(/act before .*\(5 s\)/);
  });
  it('report inbox: a valid report is kept, a bad one is refused with 400', async () => {
    const inbox = new ReportInbox();
    const url = await inbox.start();
    const waiting = inbox.wait('r-9', 5000);
    expect((await fetch(url, { method: 'POST', body: JSON.stringify({ requestId: 'r-9', result: 'weird' }) })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', body: JSON.stringify({ requestId: 'r-9', result: 'paid', paymentTokens: ['t'] }) })).status).toBe(204);
    expect((await waiting)?.result).toBe('paid');
    expect(await inbox.wait('never', 50)).toBeUndefined();
    await inbox.close();
  });
});

describe('reference PSP defect catalogue', () => {
  it('has at least 20 switches, unique ids, each naming a requirement of the PSP seat', () => {
    expect(PSP_DEFECTS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(PSP_DEFECTS.map((d) => d.id)).size).toBe(PSP_DEFECTS.length);
    for (const d of PSP_DEFECTS) for (const id of d.catches) expect(requirement(id)?.levels.psp, `${d.id} → ${id}`).toBeDefined();
  });
});
