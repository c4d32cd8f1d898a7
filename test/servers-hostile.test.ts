// issue 8 item 1: a malformed request line, URL, method or Host never throws out of a request
// handler of ours. Each server answers a 4xx (400 for a bad URL) and keeps answering.
// Before the fix, `GET /provisioning/positions/%/x` (EC) and `GET //[x` (Nodo) ended the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startAll, validRequest, type Servers } from './support/servers.js';

let s: Servers;
beforeAll(async () => {
  s = await startAll();
});
afterAll(async () => {
  await s?.stop();
});

const line = (l: string, host = 'h', extra = '') => `${l}\r\nHost: ${host}\r\nConnection: close\r\n${extra}\r\n`;

/** raw requests and the statuses each may get */
const ATTACKS: { what: string; bytes: (path: string) => string; status: (n: number) => boolean }[] = [
  { what: 'bad percent in a path segment', bytes: () => line('GET /provisioning/positions/%/x HTTP/1.1'), status: (n) => n === 400 },
  { what: 'POST with bad percent', bytes: () => line('POST /provisioning/positions/%ZZ/x HTTP/1.1', 'h', 'Content-Length: 2\r\n') + '{}', status: (n) => n === 400 },
  { what: 'scheme-relative URL with a broken IPv6 host', bytes: () => line('GET //[x HTTP/1.1'), status: (n) => n === 400 },
  { what: 'truncated UTF-8 percent-encoding', bytes: () => line('GET /%E0%A4%A HTTP/1.1'), status: (n) => n === 400 },
  { what: 'overlong UTF-8 percent-encoding', bytes: (p) => line(`GET ${p.split("?")[0]!.replace(/\/$/, "")}/%C0%AF HTTP/1.1`), status: (n) => n === 400 },
  { what: 'absolute-form with a bad host', bytes: () => line('GET http://[x/ HTTP/1.1'), status: (n) => n === 400 },
  { what: 'asterisk-form', bytes: () => line('GET * HTTP/1.1'), status: (n) => n === 400 },
  { what: 'absurd method', bytes: (p) => line(`BREW ${p} HTTP/1.1`), status: (n) => n >= 400 && n < 500 },
  { what: 'method with garbage', bytes: (p) => line(`G\u0001ET ${p} HTTP/1.1`), status: (n) => n >= 400 && n < 500 },
  { what: 'CONNECT', bytes: () => line('CONNECT example.org:443 HTTP/1.1'), status: (n) => n === 405 },
  { what: 'PROPFIND', bytes: (p) => line(`PROPFIND ${p} HTTP/1.1`), status: (n) => n >= 400 && n < 500 },
  { what: 'bad Host', bytes: (p) => line(`GET ${p} HTTP/1.1`, '[[[::'), status: (n) => n >= 200 && n < 500 },
  { what: 'no Host', bytes: (p) => `GET ${p} HTTP/1.1\r\nConnection: close\r\n\r\n`, status: (n) => n === 400 },
  { what: 'binary request line', bytes: () => '\u0000\u0001\u0002\u00ff\r\n\r\n', status: (n) => n === 400 },
  { what: 'HTTP/9.9', bytes: (p) => line(`GET ${p} HTTP/9.9`), status: (n) => n >= 400 && n < 600 && n !== 500 },
  { what: 'huge header', bytes: (p) => line(`GET ${p} HTTP/1.1`, 'h', `X-Big: ${'a'.repeat(20_000)}\r\n`), status: (n) => n === 431 || n === 400 },
  { what: 'bad Content-Length', bytes: (p) => line(`POST ${p} HTTP/1.1`, 'h', 'Content-Length: -5\r\n'), status: (n) => n === 400 },
];

describe('every server answers malformed requests with a 4xx and keeps running', () => {
  it('attacks on every server, then a well-formed request still answered', async () => {
    const seen: string[] = [];
    for (const t of s.targets) {
      for (const a of ATTACKS) {
        for (const p of t.paths.slice(0, 2)) {
          const r = await rawRequest(t, a.bytes(p));
          seen.push(`${t.name} ${a.what}: ${r.status}`);
          expect(r.status, `${t.name}: ${a.what} (${p}) → ${r.head.split('\r\n')[0]}`).toBeDefined();
          expect(a.status(r.status!), `${t.name}: ${a.what} (${p}) → ${r.status}`).toBe(true);
        }
      }
      const v = await validRequest(t);
      expect(v.status, `${t.name} after the attacks`).toBe(t.valid.status);
    }
    expect(seen.length).toBe(s.targets.reduce((n, t) => n + ATTACKS.length * Math.min(2, t.paths.length), 0));
  });

  it('the named crashes of issue 8: EC provisioning GET with "%", Nodo GET "//[x"', async () => {
    const ec = s.targets.find((t) => t.name === 'ec')!;
    const nodo = s.targets.find((t) => t.name === 'nodo')!;
    expect((await rawRequest(ec, line('GET /provisioning/positions/%/x HTTP/1.1'))).status).toBe(400);
    expect((await rawRequest(nodo, line('GET //[x HTTP/1.1'))).status).toBe(400);
    expect((await validRequest(ec)).status).toBe(200);
    expect((await validRequest(nodo)).status).toBe(200);
  });
});
