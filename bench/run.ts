// `npm run bench`: throughput and latency of the harness's own parts on this machine.
//   a. whole flows/s (verify → activate → sendPaymentOutcome → receipt delivered), 1, 8 and 32 at a time
//   b. per-hop overhead: PSP→Nodo exchange, Nodo→EC exchange, plain loopback HTTP echo
//   c. codec and XSD validation cost per message
//   d. the receipt retry schedule on the VirtualClock, virtual span vs real time
//   e. a 100,000-line reporting flow written, validated and read back (time and peak memory, own process)
// Prints tables and writes bench/results.json. BENCH_QUICK=1 shortens every phase (smoke run).
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { RealClock } from '../src/core/clock.js';
import { startWorld, type World } from './world.js';
import { oneFlow, runFlows, type FlowResult } from './flows.js';
import { runHops, type HopResult } from './hops.js';
import { runCodec, type CodecRow } from './codec.js';
import { runRetry, type RetryCase } from './retry.js';
import { runLargeFlow, type LargeFlowResult } from './large-flow.js';
import { fmt, msSince, nowNs, table } from './stats.js';

const QUICK = process.env.BENCH_QUICK === '1';
const CFG = {
  flows: { concurrency: [1, 8, 32], warmupFlowsPerWorker: QUICK ? 2 : 20, durationMs: QUICK ? 1000 : 6000 },
  hops: { rounds: QUICK ? 2 : 4, perRound: QUICK ? 50 : 400, warmup: QUICK ? 20 : 200 },
  codec: { warmup: QUICK ? 50 : 300, iterations: QUICK ? 200 : 2000 },
  /** issue 12 Deliver 5: under 5 s and 300 MB, validation on */
  largeFlow: { lines: QUICK ? 10_000 : 100_000, targetMs: 5000, targetRssMb: 300 },
};
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

function log(s = ''): void {
  process.stdout.write(s + '\n');
}

async function main(): Promise<number> {
  const t0 = nowNs();
  const env = {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    quick: QUICK,
    loadavgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
  log(`collaudo bench — Node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} × ${env.cpuModel}, ${env.memoryGb} GB${QUICK ? ' — QUICK run' : ''}`);
  log(`load average at start ${env.loadavgAtStart.join(' ')} (other processes on this machine skew the numbers)`);
  log('All parties in this one process over 127.0.0.1; XSD validation of every message; journal on.\n');

  let world: World | undefined;
  try {
    world = await startWorld(new RealClock());
    const w = world;

    // ---------------- c. codec (on the messages of one real flow)
    log('c. codec and XSD cost per message …');
    w.newJournal();
    await oneFlow(w);
    const codecJournal = w.journal();
    // every message of the flow, incl. the receipt delivery, is in the journal once the delivery is final
    const codec: CodecRow[] = runCodec(codecJournal, CFG.codec.warmup, CFG.codec.iterations);

    // ---------------- b. per-hop
    log('b. per-hop latency …');
    const hops: HopResult = await runHops(w, CFG.hops.rounds, CFG.hops.perRound, CFG.hops.warmup);

    await w.stop();
    world = undefined;

    // ---------------- a. flows: a fresh EC and Nodo per phase, so every phase starts from the same
    // state size (the reference parts keep every position, token and receipt in memory)
    const flows: (FlowResult & { loadavg1: number })[] = [];
    for (const c of CFG.flows.concurrency) {
      log(`a. whole flows, concurrency ${c} (${CFG.flows.durationMs / 1000} s) …`);
      world = await startWorld(new RealClock());
      const f = await runFlows(world, c, CFG.flows.warmupFlowsPerWorker, CFG.flows.durationMs);
      flows.push({ ...f, loadavg1: os.loadavg()[0]! });
      await world.stop();
      world = undefined;
    }

    // ---------------- d. retry schedule
    log('d. receipt retry schedule on the VirtualClock …');
    const retry: RetryCase[] = await runRetry();

    // ---------------- e. large reporting flow: chunked (the reader's way), then whole for comparison
    log(`e. reporting flow of ${CFG.largeFlow.lines} lines, in a process of its own …`);
    const largeFlow: LargeFlowResult[] = [];
    for (const mode of ['chunked', 'whole'] as const) largeFlow.push(await runLargeFlow(CFG.largeFlow.lines, mode));

    // ---------------- report
    log('\n== a. Whole flows: verify → activate → sendPaymentOutcome → receipt delivered (RealClock) ==');
    log(
      table(
        ['concurrency', 'flows', 'wall s', 'flows/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'SOAP exch/flow', 'load 1m'],
        flows.map((f) => [f.concurrency, f.flows, fmt(f.wallMs / 1000, 1), fmt(f.flowsPerSec, 1), fmt(f.latencyMs.p50), fmt(f.latencyMs.p90), fmt(f.latencyMs.p99), fmt(f.latencyMs.max), fmt(f.exchangesPerFlow, 1), fmt(f.loadavg1)]),
      ),
    );

    const overhead = {
      callStationMinusEchoP50: hops.callStation.p50 - hops.echo.p50,
      callStationMinusEchoP99: hops.callStation.p99 - hops.echo.p99,
      verifyMinusEchoP50: hops.verify.p50 - hops.echo.p50,
      verifyMinusEchoP99: hops.verify.p99 - hops.echo.p99,
      /** verify is two hops (PSP→Nodo, Nodo→EC): (verify − 2·echo) / 2 */
      verifyPerHopP50: (hops.verify.p50 - 2 * hops.echo.p50) / 2,
      verifyPerHopP99: (hops.verify.p99 - 2 * hops.echo.p99) / 2,
    };
    log(`\n== b. One exchange, sequential (${hops.rounds} interleaved rounds × ${hops.perRound}; echo payload ${hops.echoBytes} B) ==`);
    log(
      table(
        ['exchange', 'hops', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'p50 − echo', 'p99 − echo'],
        [
          ['node:http loopback echo (physical limit)', 1, hops.echo.n, fmt(hops.echo.p50, 3), fmt(hops.echo.p90, 3), fmt(hops.echo.p99, 3), fmt(hops.echo.mean, 3), '—', '—'],
          ['Nodo→EC callStation paVerifyPaymentNotice', 1, hops.callStation.n, fmt(hops.callStation.p50, 3), fmt(hops.callStation.p90, 3), fmt(hops.callStation.p99, 3), fmt(hops.callStation.mean, 3), fmt(overhead.callStationMinusEchoP50, 3), fmt(overhead.callStationMinusEchoP99, 3)],
          ['PSP→Nodo verifyPaymentNotice (+ Nodo→EC)', 2, hops.verify.n, fmt(hops.verify.p50, 3), fmt(hops.verify.p90, 3), fmt(hops.verify.p99, 3), fmt(hops.verify.mean, 3), fmt(overhead.verifyMinusEchoP50, 3), fmt(overhead.verifyMinusEchoP99, 3)],
        ],
      ),
    );
    log(`our overhead per hop: ${fmt(overhead.callStationMinusEchoP50, 3)} ms p50 / ${fmt(overhead.callStationMinusEchoP99, 3)} ms p99 (callStation − echo); ` +
      `${fmt(overhead.verifyPerHopP50, 3)} ms p50 / ${fmt(overhead.verifyPerHopP99, 3)} ms p99 per hop inside verify ((verify − 2·echo) / 2)`);

    log(`\n== c. Codec per message, µs (${CFG.codec.iterations} timed calls each, after ${CFG.codec.warmup} warm-up rounds over all messages) ==`);
    log(
      table(
        ['message', 'bytes', 'decode+XSD p50', 'p99', 'decode only p50', 'p99', 'XSD share p50', 'encode p50', 'p99', 're-encoded valid'],
        codec.map((r) => [
          r.message, r.bytes,
          fmt(r.decodeValidateUs.p50, 1), fmt(r.decodeValidateUs.p99, 1),
          fmt(r.decodeNoValidateUs.p50, 1), fmt(r.decodeNoValidateUs.p99, 1),
          fmt(r.xsdOnlyUsP50, 1),
          fmt(r.encodeUs.p50, 1), fmt(r.encodeUs.p99, 1),
          r.roundTripValid ? 'yes' : 'NO',
        ]),
      ),
    );

    log('\n== d. Receipt retry schedule on the VirtualClock (5 attempts, slot 15 s) ==');
    log(
      table(
        ['case', 'attempts', 'state', 'attempt offsets (virtual s)', 'virtual span', 'real wall ms'],
        retry.map((c) => [c.name, c.attempts, c.state, c.attemptOffsetsS.join(', '), `${fmt(c.virtualSpanMs / 1000, 0)} s (${fmt(c.virtualSpanMs / 60000, 1)} min)`, fmt(c.realMs, 1)]),
      ),
    );

    log(`\n== e. Reporting flow FlussoRiversamento, ${CFG.largeFlow.lines} lines: write (generate + serialise), read (stream + validate every line + build), own process ==`);
    log(
      table(
        ['mode', 'MB', 'write ms', 'read+validate ms', 'compare ms', 'total ms', 'CPU ms', 'base RSS MB', 'peak RSS MB', 'valid', 'round trip', `≤ ${CFG.largeFlow.targetMs / 1000} s, ≤ ${CFG.largeFlow.targetRssMb} MB`],
        largeFlow.map((r) => [
          r.mode === 'chunked' ? 'chunked (readFlowStream)' : 'whole document (comparison)',
          fmt(r.bytes / 2 ** 20, 1), fmt(r.writeMs, 0), fmt(r.readValidateMs, 0), fmt(r.compareMs, 0), fmt(r.totalMs, 0), fmt(r.cpuMs, 0), fmt(r.baseRssMb, 0), fmt(r.peakRssMb, 0),
          r.valid ? 'yes' : 'NO', r.roundTrip ? 'yes' : 'NO',
          r.totalMs <= CFG.largeFlow.targetMs && r.peakRssMb <= CFG.largeFlow.targetRssMb ? 'yes' : 'NO',
        ]),
      ),
    );

    const totalS = msSince(t0) / 1000;
    const results = { env: { ...env, loadavgAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) }, config: CFG, flows, hops: { ...hops, overheadMs: overhead }, codec, retry, largeFlow, totalSeconds: totalS };
    writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
    log(`\nbench done in ${fmt(totalS, 1)} s; results in ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
    const badFlow = largeFlow.filter((r) => !r.valid || !r.roundTrip || r.mustProblems.length > 0);
    if (badFlow.length) {
      log(`ERROR: the large reporting flow did not round-trip (${badFlow.map((r) => `${r.mode}: ${r.mustProblems.slice(0, 3).join('; ') || 'lines differ'}`).join(' | ')})`);
      return 1;
    }
    const bad = codec.filter((r) => !r.roundTripValid);
    if (bad.length) {
      log(`ERROR: re-encoded envelope not XSD-valid for ${bad.map((r) => r.message).join(', ')}`);
      return 1;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`bench FAILED: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    await world?.stop().catch((e: unknown) => process.stderr.write(`bench: stopping the servers failed: ${String(e)}\n`));
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench FAILED: ${String(e)}\n`);
    process.exit(1);
  },
);
