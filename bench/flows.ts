// (a) Whole flows: provision → verify → activate → sendPaymentOutcome → receipt delivered
// (paSendRT answered OK by the EC, awaited with nodo.waitDelivery), on real time.
import type { World } from './world.js';
import { EC_IDS } from './world.js';
import { Summary, msSince, nowNs, summarize } from './stats.js';

export interface FlowResult {
  concurrency: number;
  flows: number;
  wallMs: number;
  flowsPerSec: number;
  latencyMs: Summary;
  /** SOAP exchanges per flow (journal entries / 2): verify, activate, outcome, paVerify, paGetPayment, paSendRT */
  exchangesPerFlow: number;
}

/** One complete flow on a freshly provisioned notice; returns its latency in ms. Throws on any deviation. */
export async function oneFlow(w: World): Promise<number> {
  const pos = w.ec.provision({ state: 'payable' });
  const qr = { fiscalCode: pos.fiscalCode, noticeNumber: pos.noticeNumber };
  const t0 = nowNs();
  const r = await w.psp.payNotice(qr);
  for (const [step, c] of [['verify', r.verify], ['activate', r.activate], ['outcome', r.outcome]] as const) {
    if (!c || c.outcome !== 'OK') {
      throw new Error(`flow ${qr.noticeNumber}: ${step} did not succeed: ${c?.problem ?? c?.fault?.faultCode ?? c?.outcome ?? 'not called'}${c?.fault?.description ? ` (${c.fault.description})` : ''}`);
    }
  }
  const d = await w.nodo.waitDelivery(r.paymentToken!, EC_IDS.idPA, 30_000);
  const ms = msSince(t0);
  if (d.state !== 'delivered') throw new Error(`flow ${qr.noticeNumber}: receipt ${d.state} after ${d.attempts.length} attempt(s): ${d.reason ?? ''}`);
  return ms;
}

/**
 * `concurrency` workers run flows back to back: first `warmupFlows` flows each (untimed), then
 * flows until `durationMs` has passed (a flow started before the end is completed and counted).
 */
export async function runFlows(w: World, concurrency: number, warmupFlows: number, durationMs: number): Promise<FlowResult> {
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < warmupFlows; i++) await oneFlow(w);
  }));
  const journal = w.newJournal();
  const lat: number[] = [];
  let failed: unknown;
  const t0 = nowNs();
  const deadline = Number(t0) / 1e6 + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (failed === undefined && Number(process.hrtime.bigint()) / 1e6 < deadline) {
        try {
          lat.push(await oneFlow(w));
        } catch (e) {
          failed ??= e;
        }
      }
    }),
  );
  const wallMs = msSince(t0);
  if (failed !== undefined) throw failed;
  return {
    concurrency,
    flows: lat.length,
    wallMs,
    flowsPerSec: (lat.length / wallMs) * 1000,
    latencyMs: summarize(lat),
    exchangesPerFlow: journal.entries.length / 2 / Math.max(1, lat.length),
  };
}
