// issue 8, Deliver: a bounded fuzz of every server of ours (loopback, seeded PRNG, ≤ 2,000 mutated
// requests and ≤ 200 malformed request lines, ≤ 20 s). Each answer is HTTP < 500 or a SOAP envelope
// (a 5xx without SOAP, a dropped connection or no answer fails); every server still answers a
// well-formed request at the end; the journal stays within its bound and the heap within a
// generous limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { loadProfile } from '../src/profile/index.js';
import { REFERENCE_EC_PROFILE } from '../seats/ec.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { SessionJournal } from '../cli/serve-journal.js';
import { rawRequest, startAll, validRequest, type RawAnswer, type Servers, type Target } from './support/servers.js';

const SEED = 0x8c011a;
const MUTATED = 2000;
const LINES = 200;
const BUDGET_MS = 20_000;
const RING = 200;

/** mulberry32: small, seeded, reproducible */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p = loadProfile(REFERENCE_EC_PROFILE).profile;
const SEEDS: Record<string, string[]> = {
  soap: [
    encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, qrCode: { fiscalCode: p.ec.idPA, noticeNumber: '301000000000000000' } }),
    encodeEnvelope(OPERATIONS.verifyPaymentNotice!, 'request', { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password, qrCode: { fiscalCode: p.ec.idPA, noticeNumber: '301000000000000000' } }),
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
  ],
  json: [
    JSON.stringify({ state: 'payable', amountCents: 1500 }),
    JSON.stringify({ contract: 'collaudo-trigger/1', requestId: 'r', scenarioId: 's', seat: 'psp', action: 'pay', fiscalCode: p.ec.idPA, noticeNumber: '301000000000000000', deadline: '2030-01-01T00:00:00Z', deadlineMs: 1000 }),
    JSON.stringify({ requestId: 'x', result: 'paid' }),
    JSON.stringify({ paymentNotices: [{ noticeNumber: '301000000000000000', fiscalCode: p.ec.idPA, amount: 100, companyName: 'c', description: 'd' }], returnUrls: { returnOkUrl: 'http://x', returnCancelUrl: 'http://x', returnErrorUrl: 'http://x' } }),
  ],
};
const METHODS = ['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE'];
const TYPES = ['text/xml; charset=UTF-8', 'application/json', 'application/xml', 'text/plain', 'multipart/form-data; boundary=x', 'text/xml; charset=UTF-16', '', 'application/soap+xml', '\u00ff/\u00fe'];
const ACTIONS = ['paVerifyPaymentNotice', 'paGetPayment', 'verifyPaymentNotice', '"activatePaymentNotice"', '', 'x'.repeat(300), '"'];

function mutate(r: () => number, s: string): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  let out = s;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0: out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + out.slice(at + 1); break;
      case 1: out = out.slice(0, at); break;
      case 2: out = out.slice(0, at) + pick(['<', '>', '&', '"', '\u0000', '%', '<![CDATA[', ']]>', '<?pi?>', '{', '}', '\ud800', 'é', '<x>', '</', '&amp;', '&#0;']) + out.slice(at); break;
      case 3: out = out.slice(0, at) + out.slice(at, at + 40).repeat(1 + Math.floor(r() * 50)) + out.slice(at + 40); break;
      case 4: out = out.replace(/>[^<]{1,20}</, `>${pick(['', '-1', '9'.repeat(40), 'null', '0.001', 'ü'])}<`); break;
      default: out = out.split('').reverse().join('').slice(0, Math.floor(r() * 200)); break;
    }
  }
  return out;
}

function mutatePath(r: () => number, path: string): string {
  switch (Math.floor(r() * 6)) {
    case 0: return path + ['%', '%G1', '%C0%AF', '/..%2f..', '%00', '//', '?wsdl&%', '#frag'][Math.floor(r() * 8)];
    case 1: return path.replace(/\d/g, () => String(Math.floor(r() * 10)));
    case 2: return path.slice(0, Math.floor(r() * path.length)) || '/';
    default: return path;
  }
}

function randomLine(r: () => number): string {
  const len = 1 + Math.floor(r() * 120);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(r() < 0.8 ? 32 + Math.floor(r() * 95) : Math.floor(r() * 256));
  const shapes = [
    () => `${s}\r\nHost: h\r\nConnection: close\r\n\r\n`,
    () => `GET ${s.replace(/\s/g, '')} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`,
    () => `${s.split(' ')[0]} / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`,
    () => `POST / HTTP/1.1\r\n${s}: x\r\nConnection: close\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nHost: ${s}\r\nConnection: close\r\n\r\n`,
  ];
  return shapes[Math.floor(r() * shapes.length)]!();
}

function acceptable(a: RawAnswer): boolean {
  if (a.status === undefined) return false;
  if (a.status < 500) return true;
  return /Envelope/.test(a.body);
}

let s: Servers;
let journal: SessionJournal;
beforeAll(async () => {
  journal = new SessionJournal(new RealClock(), { size: RING, summaryMs: 0, out: () => undefined });
  s = await startAll(journal);
});
afterAll(async () => {
  journal?.close();
  await s?.stop();
});

describe('fuzz: every server of ours', () => {
  it(`${MUTATED} mutated requests and ${LINES} malformed request lines: no crash, SOAP or HTTP < 500 each, servers alive, memory bounded`, async () => {
    const r = prng(SEED);
    const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
    const t0 = Date.now();
    const heap0 = process.memoryUsage().heapUsed;
    const jobs: { t: Target; bytes: string; what: string }[] = [];
    for (let i = 0; i < MUTATED; i++) {
      const t = s.targets[i % s.targets.length]!;
      const path = mutatePath(r, pick(t.paths));
      const seed = r() < 0.5 ? pick(SEEDS.soap!) : pick(SEEDS.json!);
      const body = r() < 0.9 ? mutate(r, seed) : seed;
      const type = pick(TYPES);
      const bytes = Buffer.from(body, 'utf8');
      const head = [`${pick(METHODS)} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', `Content-Length: ${bytes.length}`];
      if (type) head.push(`Content-Type: ${type}`);
      if (r() < 0.7) head.push(`SOAPAction: ${pick(ACTIONS)}`);
      jobs.push({ t, bytes: head.join('\r\n') + '\r\n\r\n' + bytes.toString('latin1'), what: `${t.name} #${i} ${head[0]}` });
    }
    for (let i = 0; i < LINES; i++) {
      const t = s.targets[i % s.targets.length]!;
      jobs.push({ t, bytes: randomLine(r), what: `${t.name} line #${i}` });
    }
    const bad: string[] = [];
    let sent = 0;
    let maxRing = 0;
    const statuses = new Set<number>();
    // 8 connections at a time
    const queue = [...jobs];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let j = queue.shift(); j; j = queue.shift()) {
        if (Date.now() - t0 > BUDGET_MS) return;
        // latin1 keeps arbitrary bytes as they are
        const a = await rawRequest(j.t, Buffer.from(j.bytes, 'latin1'), 5000).catch((e: Error) => ({ status: undefined, head: e.message, body: '' }) as RawAnswer);
        sent++;
        statuses.add(a.status ?? 0);
        maxRing = Math.max(maxRing, journal.entries.length);
        if (!acceptable(a)) bad.push(`${j.what} → ${a.status ?? 'no answer'} ${a.head.split('\r\n')[0]} ${a.body.slice(0, 120)}`);
      }
    }));
    const elapsed = Date.now() - t0;
    expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
    expect(sent).toBeGreaterThan(500); // the time budget allowed a meaningful run
    // the mutations reach the handlers, not only the parser: served, refused and faulted answers
    expect([...statuses].some((x) => x >= 200 && x < 300), [...statuses].join(',')).toBe(true);
    expect(statuses.has(400) && statuses.has(500), [...statuses].join(',')).toBe(true);
    expect(elapsed).toBeLessThan(BUDGET_MS + 6000);
    for (const t of s.targets) expect((await validRequest(t)).status, `${t.name} still answers`).toBe(t.valid.status);
    expect(maxRing).toBeLessThanOrEqual(RING);
    expect(journal.recorded).toBeGreaterThan(RING);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(256 * 1024 * 1024);
  }, 60_000);
});
