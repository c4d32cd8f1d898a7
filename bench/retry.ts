// (d) The receipt retry schedule on the VirtualClock: minutes of schedule, milliseconds of real time.
// A: the Nodo's paSendRT answers are lost (Faults rule outbound/paSendRT/no-answer): 5 attempts,
//    slot 15 s, waits 15+45+105+225 s = 390 s of virtual time.
// B: a tiny in-bench station that answers paSendRT 20 s late (clock.spend): every attempt times out
//    at the 15 s deadline and also costs the 20 s the station spends.
import { VirtualClock } from '../src/core/clock.js';
import { INTERFACES } from '../interfaces/index.js';
import { Faults } from '../src/core/faults.js';
import { Journal } from '../src/core/journal.js';
import { startSoapServer } from '../src/wire/http.js';
import { encodeEnvelope, encodeSoapFault } from '../src/wire/soap.js';
import { ReferenceNodo, type Delivery } from '../actors/nodo/index.js';
import { EC_IDS, registryFor, startWorld } from './world.js';
import { msSince, nowNs } from './stats.js';

export interface RetryCase {
  name: string;
  attempts: number;
  state: string;
  /** offsets of the attempts from the first, in virtual seconds */
  attemptOffsetsS: number[];
  /** virtual time from the delivery's creation to its final state */
  virtualSpanMs: number;
  /** real time for the same */
  realMs: number;
}

const SLOT_MS = 15_000;
const ATTEMPTS = 5;
const LATE_MS = 20_000;

function describe(name: string, d: Delivery, realMs: number): RetryCase {
  return {
    name,
    attempts: d.attempts.length,
    state: d.state,
    attemptOffsetsS: d.attempts.map((a) => a.offsetMs / 1000),
    virtualSpanMs: (d.finalAt ?? NaN) - d.createdAt,
    realMs,
  };
}

export async function runRetry(): Promise<RetryCase[]> {
  const out: RetryCase[] = [];
  const clock = new VirtualClock();
  const faults = new Faults();
  const w = await startWorld(clock, { faults, nodo: { receiptRetry: { slotMs: SLOT_MS, maxAttempts: ATTEMPTS } } });
  let late: Awaited<ReturnType<typeof startSoapServer>> | undefined;
  let nodo2: ReferenceNodo | undefined;
  try {
    // ---- A: answers lost
    const pos = w.ec.provision({ state: 'payable' });
    faults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: pos.noticeNumber }, fault: { kind: 'no-answer' } });
    const r = await w.psp.payNotice({ fiscalCode: pos.fiscalCode, noticeNumber: pos.noticeNumber });
    if (r.outcome?.outcome !== 'OK' || !r.paymentToken) throw new Error(`retry A: the payment failed: ${r.outcome?.problem ?? r.activate?.problem ?? r.verify?.problem ?? ''}`);
    const t0 = nowNs();
    const dA = await w.nodo.waitDelivery(r.paymentToken, EC_IDS.idPA, 30_000);
    out.push(describe('A: paSendRT answer lost (Faults no-answer)', dA, msSince(t0)));

    // ---- B: a station that answers 20 s late on the virtual clock
    late = await startSoapServer({ interfaces: INTERFACES,
      name: 'late-station',
      clock,
      handle: async (req) => {
        const d = req.decoded;
        if (!d.ok || d.msg.op?.name !== 'paSendRT') return { status: 500, body: encodeSoapFault('soapenv:Client', 'only paSendRT here') };
        await clock.spend(LATE_MS);
        return { status: 200, body: encodeEnvelope(d.msg.op, 'response', { outcome: 'OK' }) };
      },
    });
    nodo2 = new ReferenceNodo({
      clock,
      registry: registryFor(`${late.url}/late`),
      journal: () => new Journal(clock),
      receiptRetry: { slotMs: SLOT_MS, maxAttempts: ATTEMPTS },
      host: '127.0.0.1',
      port: 0,
    });
    await nodo2.start();
    const receipt = w.nodo.receiptFor(r.paymentToken);
    if (!receipt) throw new Error('retry B: no receipt data for the paid token');
    const t1 = nowNs();
    nodo2.sendReceipt(receipt);
    const dB = await nodo2.waitDelivery(receipt.receiptId, EC_IDS.idPA, 30_000);
    out.push(describe(`B: station answers ${LATE_MS / 1000} s late (clock.spend)`, dB, msSince(t1)));

    for (const c of out) {
      if (c.attempts !== ATTEMPTS || c.state !== 'parked') throw new Error(`retry ${c.name}: expected ${ATTEMPTS} attempts and parked, got ${c.attempts} / ${c.state}`);
    }
    return out;
  } finally {
    await nodo2?.stop();
    await late?.close();
    await w.stop();
  }
}
