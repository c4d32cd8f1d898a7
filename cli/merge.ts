// `collaudo merge`: one certificate from the parts of a sharded run (`run --shard i/n` in several
// CI jobs). Journals come back from each part's evidence (its evidence.tar.gz, or the exploded
// evidence/ folder), so the merged reports carry the same evidence as an unsharded run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Certificate, ScenarioResult } from '../src/core/model.js';
import type { JournalEntry } from '../src/core/journal.js';
import { EVIDENCE_ARCHIVE, mergeCertificates, readTarGz, writeReports, type EvidenceForm } from '../reports/index.js';
import { exitCode, overallVerdict, summarize } from '../src/core/verdict.js';
import type { Verdict } from '../src/core/model.js';
import { UsageError } from './errors.js';
import { Ledger } from '../src/core/ledger.js';
import type { Progress } from './progress.js';

/** A run's certificate with every scenario's journal read back from its evidence (packed or exploded). */
export function readPart(dir: string): Certificate {
  const file = path.join(dir, 'certificate.json');
  if (!existsSync(file)) throw new UsageError(`${dir}: no certificate.json (is it the --out folder of a run or a shard?)`);
  const { evidenceArchive, ...doc } = JSON.parse(readFileSync(file, 'utf8')) as Certificate & { evidenceArchive?: string };
  const cert = doc as Certificate;
  const archive = path.join(dir, evidenceArchive ?? EVIDENCE_ARCHIVE);
  let members: Map<string, Buffer> | undefined;
  if (existsSync(archive)) {
    try {
      members = readTarGz(readFileSync(archive));
    } catch (e) {
      throw new UsageError(`${archive}: ${(e as Error).message}`);
    }
  }
  const journal = (rel: string): JournalEntry[] => {
    const packed = members?.get(rel);
    if (packed) return JSON.parse(packed.toString('utf8')) as JournalEntry[];
    const j = path.join(dir, rel);
    return existsSync(j) ? (JSON.parse(readFileSync(j, 'utf8')) as JournalEntry[]) : [];
  };
  cert.scenarios = cert.scenarios.map((s: ScenarioResult) => ({ ...s, journal: journal(s.journalFile) }));
  // the shard's receipts and flows (ledger.json), joined by key in `merge`
  const ledger = path.join(dir, 'ledger.json');
  if (existsSync(ledger)) cert.ledger = JSON.parse(readFileSync(ledger, 'utf8')) as NonNullable<Certificate['ledger']>;
  return cert;
}

export async function merge(parts: string[], out: string, progress: Progress, opts: { evidence?: EvidenceForm; allure?: boolean } = {}): Promise<number> {
  if (parts.length === 0) throw new UsageError('merge: name the --out folders of the shards');
  let cert: Certificate;
  const read = parts.map(readPart);
  try {
    cert = mergeCertificates(read);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`merge: ${(e as Error).message}`);
  }
  // every part's harness faults, each one ERROR, as in an unsharded run; an empty shard is no fault once merged
  const faults = read.flatMap((p) => p.harnessErrors ?? []).filter((e) => e !== 'no scenario ran');
  if (cert.scenarios.length === 0) faults.push('no scenario ran');
  const all: Verdict[] = [...cert.scenarios.map((s) => s.verdict), ...faults.map((): Verdict => 'ERROR')];
  Object.assign(cert, { summary: summarize(all), verdict: overallVerdict(all), exitCode: exitCode(all) });
  if (faults.length) cert.harnessErrors = faults;
  else delete cert.harnessErrors;
  cert.run = { ...cert.run, id: path.basename(out) };
  cert.ledger = Ledger.merge(read.map((p) => p.ledger ?? { receipts: [], flows: [] })).toJSON();
  const { warnings } = await writeReports(cert, out, { evidence: opts.evidence ?? 'packed', allure: opts.allure ?? false });
  for (const w of warnings) progress.line(`warning: ${w}`);
  progress.line(`merged ${parts.length} part(s), ${cert.scenarios.length} scenarios: ${cert.verdict} → ${path.join(out, 'certificate.html')}`);
  return cert.exitCode;
}
