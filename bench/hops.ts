// (b) Per-hop overhead: one SOAP exchange PSP→Nodo (verifyPaymentNotice, which makes the Nodo call
// the EC: two hops), one direct Nodo→EC exchange (nodo.callStation paVerifyPaymentNotice: one hop),
// and a plain node:http loopback echo of the same bytes with a keep-alive client (the physical limit).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from './world.js';
import { EC_IDS } from './world.js';
import { Summary, summarize, timeAsync } from './stats.js';
import { outcomeOf } from '../src/wire/soap.js';

export interface HopResult {
  echo: Summary;
  callStation: Summary;
  verify: Summary;
  echoBytes: number;
  rounds: number;
  perRound: number;
}

interface Echo {
  call(): Promise<void>;
  close(): Promise<void>;
}

async function startEcho(payload: string): Promise<Echo> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const bytes = Buffer.from(payload, 'utf8');
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/echo', method: 'POST', agent, headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: '"verifyPaymentNotice"', 'content-length': bytes.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const got = Buffer.concat(chunks);
            if (res.statusCode !== 200 || got.length !== bytes.length) reject(new Error(`echo: HTTP ${res.statusCode}, ${got.length} bytes`));
            else resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  return {
    call,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function runHops(w: World, rounds: number, perRound: number, warmup: number): Promise<HopResult> {
  const pos = w.ec.provision({ state: 'payable' });
  const qr = { fiscalCode: pos.fiscalCode, noticeNumber: pos.noticeNumber };
  // the PSP's request as it goes on the wire, echoed byte for byte
  const probe = await w.psp.verify(qr);
  if (probe.outcome !== 'OK') throw new Error(`hops: verify probe failed: ${probe.problem ?? probe.fault?.faultCode}`);
  const echo = await startEcho(probe.sent);
  try {
    const verify = async () => {
      const r = await w.psp.verify(qr);
      if (r.outcome !== 'OK') throw new Error(`hops: verifyPaymentNotice failed: ${r.problem ?? r.fault?.faultCode}`);
    };
    const station = async () => {
      const r = await w.nodo.callStation('paVerifyPaymentNotice', {
        idPA: EC_IDS.idPA,
        idBrokerPA: EC_IDS.idBrokerPA,
        idStation: EC_IDS.idStation,
        qrCode: qr,
      });
      if (r.transport !== 'ok' || !r.decoded?.ok || !r.decoded.msg.xsd.valid || outcomeOf(r.decoded.msg.body) !== 'OK') {
        throw new Error(`hops: callStation failed: ${r.transport} ${r.error ?? ''} ${r.decoded && !r.decoded.ok ? r.decoded.message : ''}`);
      }
    };
    const s = { echo: [] as number[], callStation: [] as number[], verify: [] as number[] };
    // warm-up of every path, then interleaved rounds so drift (GC, JIT, CPU clock) hits all three alike
    await timeAsync(echo.call, warmup, 0);
    await timeAsync(station, warmup, 0);
    await timeAsync(verify, warmup, 0);
    for (let r = 0; r < rounds; r++) {
      w.newJournal();
      s.echo.push(...(await timeAsync(echo.call, 10, perRound)));
      s.callStation.push(...(await timeAsync(station, 10, perRound)));
      s.verify.push(...(await timeAsync(verify, 10, perRound)));
    }
    return {
      echo: summarize(s.echo),
      callStation: summarize(s.callStation),
      verify: summarize(s.verify),
      echoBytes: Buffer.byteLength(probe.sent),
      rounds,
      perRound,
    };
  } finally {
    await echo.close();
  }
}
