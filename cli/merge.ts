// `collaudo merge`: one certificate from the parts of a sharded run (`run --shard i/n` in several
// CI jobs). Journals come back from each part's evidence folder, so the merged reports carry the
// same evidence as an unsharded run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Certificate, ScenarioResult } from '../src/core/model.js';
import type { JournalEntry } from '../src/core/journal.js';
import { mergeCertificates, writeReports } from '../reports/index.js';
import { exitCode, overallVerdict, summarize } from '../src/core/verdict.js';
import type { Verdict } from '../src/core/model.js';
import { UsageError } from './errors.js';
import { Ledger } from '../src/core/ledger.js';
import type { Progress } from './progress.js';

function readPart(dir: string): Certificate {
  const file = path.join(dir, 'certificate.json');
  if (!existsSync(file)) throw new UsageError(`${dir}: no certificate.json (is it the --out folder of a shard?)`);
  const cert = JSON.parse(readFileSync(file, 'utf8')) as Certificate;
  cert.scenarios = cert.scenarios.map((s: ScenarioResult) => {
    const j = path.join(dir, s.journalFile);
    return { ...s, journal: existsSync(j) ? (JSON.parse(readFileSync(j, 'utf8')) as JournalEntry[]) : [] };
  });
  // the shard's receipts and flows (ledger.json), joined by key in `merge`
  const ledger = path.join(dir, 'ledger.json');
  if (existsSync(ledger)) cert.ledger = JSON.parse(readFileSync(ledger, 'utf8')) as NonNullable<Certificate['ledger']>;
  return cert;
}

export async function merge(parts: string[], out: string, progress: Progress): Promise<number> {
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
  const { warnings } = await writeReports(cert, out);
  for (const w of warnings) progress.line(`warning: ${w}`);
  progress.line(`merged ${parts.length} part(s), ${cert.scenarios.length} scenarios: ${cert.verdict} → ${path.join(out, 'certificate.html')}`);
  return cert.exitCode;
}
