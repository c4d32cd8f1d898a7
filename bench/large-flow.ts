// (e) A 100,000-line reporting flow (issue 12, Deliver 5): generated line by line and written to a file
// as FlussoRiversamento (flowXmlChunks: no 100k strings held), then read back from the file as it
// streams in, every chunk of lines validated against our schema (readFlowStream), and compared line by
// line with what was generated. Runs in a child process of its own (large-flow-child.mjs) so that its
// peak memory is its own, not the other phases'. Mode 'whole' parses and validates the file in one go,
// for comparison: that is why the reader cuts large documents into chunks.
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatorFor } from '../src/wire/xsd.js';
import { FLOW_SCHEMA_FILE, type FlowHeader, flowXmlChunks, readFlow, readFlowStream } from '../domain/fdr/document.js';
import type { FlowLine, FlowOutcomeCode } from '../domain/fdr/types.js';

export type LargeFlowMode = 'chunked' | 'whole';

export interface LargeFlowResult {
  mode: LargeFlowMode;
  lines: number;
  bytes: number;
  /** generate the lines, serialise and write the file */
  writeMs: number;
  /** read the file, validate every chunk (or the whole), build the ReportingFlow, check totals */
  readValidateMs: number;
  /** compare every line read with the one generated */
  compareMs: number;
  totalMs: number;
  /** CPU time of the child over the same span (user + system; less sensitive than wall time to other processes) */
  cpuMs: number;
  /** RSS of the child before the flow: Node, the TypeScript hooks, libxml2 and the compiled schema */
  baseRssMb: number;
  /** the child's peak RSS (getrusage maxrss) */
  peakRssMb: number;
  valid: boolean;
  roundTrip: boolean;
  /** MUST problems the reader found (none expected) */
  mustProblems: string[];
}

const CODES: readonly FlowOutcomeCode[] = ['0', '0', '0', '0', '0', '0', '9', '3', '4', '8'];

/** Line i (1-based) of the generated flow: distinct IUV/IUR, transfers 1..5, every code. */
export function largeFlowLine(i: number): FlowLine {
  return {
    iuv: `01${String(i).padStart(15, '0')}`,
    iur: `20261203PSPTEST01${String(i).padStart(10, '0')}`,
    idTransfer: 1 + (i % 5),
    amountCents: 100 + ((i * 7919) % 250_000),
    outcomeCode: CODES[i % CODES.length]!,
    date: '2026-12-03',
  };
}

function header(n: number): FlowHeader {
  let total = 0;
  for (let i = 1; i <= n; i++) total += largeFlowLine(i).amountCents;
  return {
    flowId: '2026-12-04PSPTEST01-bench1',
    flowDate: '2026-12-04T09:30:00',
    idPSP: 'PSPTEST01',
    sender: { idType: 'B', id: 'BCITITMMXXX', name: 'Banca di Prova S.p.A.' },
    ecFiscalCode: '01234567890',
    receiver: { idType: 'G', id: '01234567890', name: 'Comune di Esempio' },
    regulationId: 'TRN20261204000000001',
    regulationDate: '2026-12-04',
    bicCodePouringBank: 'BCITITMMXXX',
    totalCount: n,
    totalCents: total,
  };
}

function* generate(n: number): Generator<FlowLine> {
  for (let i = 1; i <= n; i++) yield largeFlowLine(i);
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** The phase itself, in this process. */
export async function largeFlow(n: number, mode: LargeFlowMode, linesPerChunk?: number): Promise<LargeFlowResult> {
  validatorFor(FLOW_SCHEMA_FILE);
  const baseRssMb = rssMb();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-fdr-'));
  const file = path.join(dir, 'flow.xml');
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const fd = openSync(file, 'w');
    try {
      for (const chunk of flowXmlChunks(header(n), generate(n))) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    const t1 = performance.now();
    const reading = mode === 'chunked' ? await readFlowStream(createReadStream(file, { highWaterMark: 1 << 20 }), { idPSP: 'PSPTEST01' }, linesPerChunk ? { linesPerChunk } : {}) : readFlow(readFileSync(file), { idPSP: 'PSPTEST01' }, { chunkAbove: Infinity });
    const t2 = performance.now();
    let roundTrip = reading.ok && reading.flow.lines.length === n;
    if (reading.ok) {
      reading.flow.lines.forEach((l, k) => {
        const g = largeFlowLine(k + 1);
        if (l.index !== k + 1 || l.iuv !== g.iuv || l.iur !== g.iur || l.idTransfer !== g.idTransfer || l.amountCents !== g.amountCents || l.outcomeCode !== g.outcomeCode || l.date !== g.date) roundTrip = false;
      });
    }
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return {
      mode,
      lines: n,
      bytes: statSync(file).size,
      writeMs: t1 - t0,
      readValidateMs: t2 - t1,
      compareMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      baseRssMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      valid: reading.ok,
      roundTrip,
      mustProblems: reading.problems.filter((p) => p.level === 'MUST').map((p) => `${p.field}: ${p.message}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MARK = 'LARGE-FLOW-RESULT ';

/** Runs the phase in a fresh child process (large-flow-child.mjs) and returns what it measured. */
export function runLargeFlow(n: number, mode: LargeFlowMode): Promise<LargeFlowResult> {
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'large-flow-child.mjs');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child, String(n), mode], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (err || !line) return reject(new Error(`large flow child (${mode}) failed: ${err?.message ?? 'no result'}\n${stderr}`));
      resolve(JSON.parse(line.slice(MARK.length)) as LargeFlowResult);
    });
  });
}

/** The child's entry point (called by large-flow-child.mjs): lines, mode, and optionally lines per chunk. */
export async function childMain(argv: string[]): Promise<void> {
  const n = Number(argv[0] ?? 100_000);
  const mode = (argv[1] ?? 'chunked') as LargeFlowMode;
  const k = argv[2] ? Number(argv[2]) : undefined;
  process.stdout.write(`${MARK}${JSON.stringify(await largeFlow(n, mode, k))}\n`);
}
