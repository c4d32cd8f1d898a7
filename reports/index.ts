// The report writer (DESIGN.md "report" and "Verdicts, exit codes and machine-readable outputs"):
// certificate.json, certificate.html, junit.xml, the evidence (packed in evidence.tar.gz by default, or the
// exploded evidence/ folder), allure-results/ and allure-report.html on request, and manifest.sha256,
// all from one Certificate, with secrets redacted in every file.
import { mkdir, readdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { JournalEntry } from '../src/core/journal.js';
import type { Certificate, Check, ScenarioResult, Verdict } from '../src/core/model.js';
import { exitCode, overallVerdict, summarize } from '../src/core/verdict.js';
import { allureResults, generateAllureHtml } from './allure.js';
import { EVIDENCE_ARCHIVE, tarGz } from './archive.js';
import { evidencePath, journalPath } from './evidence.js';
import { certificateHtml } from './html.js';
import { junitXml } from './junit.js';
import { Output, type OutFile } from './output.js';
import { sanitizeCertificate } from './secrets.js';

export { evidencePath, journalPath } from './evidence.js';
export { EVIDENCE_ARCHIVE, readTarGz } from './archive.js';
export { allureStatus } from './allure.js';
export { junitXml } from './junit.js';

/** How the evidence is written: one evidence.tar.gz (default) or one file per message and journal. */
export type EvidenceForm = 'packed' | 'exploded';
export const EVIDENCE_FORMS: readonly EvidenceForm[] = ['packed', 'exploded'];

export interface WriteReportsOptions {
  /** evidence.tar.gz (default) or the exploded evidence/ folder */
  evidence?: EvidenceForm;
  /** write allure-results/ (and allure-report.html unless allureReport is false); default false */
  allure?: boolean;
  /** with allure: generate allure-report.html with Allure 3 (default true; ~1–3 s) */
  allureReport?: boolean;
  /** more header names whose values are secrets (besides ocp-apim-subscription-key, authorization, …) */
  secretHeaders?: string[];
  /** secret values to scrub wherever they occur (the profile's environment values) */
  secrets?: string[];
  /** time limit for the Allure generation, ms (default 120 000) */
  allureTimeoutMs?: number;
}

export interface WriteReportsResult {
  /** every file written, relative to outDir, sorted; manifest.sha256 last */
  files: string[];
  /** things that did not stop the run: Allure report not generated, dangling evidence references, … */
  warnings: string[];
  /** milliseconds per phase */
  timings: Record<string, number>;
}

/** A journal entry as written to evidence/journal/<id>.json: the redacted entry plus its raw-message file. */
export type EvidenceEntry = JournalEntry & { evidence?: string };

/** certificate.json: the certificate without inlined journals (they live under evidence/). */
export function certificateJson(cert: Certificate, evidenceArchive?: string): string {
  const doc = {
    ...(evidenceArchive ? { evidenceArchive } : {}),
    harness: cert.harness,
    sanpVersion: cert.sanpVersion,
    catalogue: cert.catalogue,
    profile: cert.profile,
    candidate: cert.candidate,
    run: cert.run,
    verdict: cert.verdict,
    exitCode: cert.exitCode,
    summary: cert.summary,
    scenarios: cert.scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      titleIt: s.titleIt,
      seat: s.seat,
      ...(s.model !== undefined ? { model: s.model } : {}),
      verdict: s.verdict,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      ...(s.reasonIt !== undefined ? { reasonIt: s.reasonIt } : {}),
      requirements: s.requirements,
      checks: s.checks.map((c) => ({
        id: c.id,
        title: c.title,
        ...(c.titleIt !== undefined ? { titleIt: c.titleIt } : {}),
        verdict: c.verdict,
        level: c.level,
        requirements: c.requirements,
        clause: c.clause,
        message: c.message,
        ...(c.messageIt !== undefined ? { messageIt: c.messageIt } : {}),
        evidence: c.evidence,
        entries: c.entries,
      })),
      journalFile: s.journalFile,
      startedAt: s.startedAt,
      durationMs: s.durationMs,
    })),
    declared: cert.declared,
    coverage: cert.coverage,
    ...(cert.models ? { models: cert.models } : {}),
    ...(cert.harnessErrors?.length ? { harnessErrors: cert.harnessErrors } : {}),
    ...(cert.unattributed ? { unattributed: cert.unattributed } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Evidence files of every scenario, and the certificate with `journalFile` and check `evidence`
 * pointing at them (references derived from `Check.entries` are added when the runner left them out).
 */
function planEvidence(cert: Certificate, warnings: string[]): { cert: Certificate; files: OutFile[]; entryFile: Map<string, string> } {
  const files: OutFile[] = [];
  const planned = new Set<string>();
  const entryFile = new Map<string, string>();
  const add = (rel: string, data: string, what: string): boolean => {
    if (planned.has(rel)) {
      warnings.push(`${what}: ${rel} would be written twice (duplicate scenario id or journal seq); the first one is kept`);
      return false;
    }
    planned.add(rel);
    files.push({ rel, data });
    return true;
  };
  const scenarios: ScenarioResult[] = cert.scenarios.map((s, si) => {
    const bySeq = new Map<number, string>();
    const entries: EvidenceEntry[] = s.journal.map((e) => {
      if (!e.raw) return e;
      const rel = evidencePath(s.id, e);
      if (!add(rel, e.raw, `scenario ${s.id} entry #${e.seq}`)) return e;
      bySeq.set(e.seq, rel);
      entryFile.set(`${si}:${e.seq}`, rel);
      return { ...e, evidence: rel };
    });
    const jf = journalPath(s.id);
    add(jf, `${JSON.stringify(entries, null, 2)}\n`, `scenario ${s.id} journal`);
    const checks: Check[] = s.checks.map((c) => {
      const derived = c.entries.map((n) => bySeq.get(n)).filter((x): x is string => x !== undefined);
      const evidence = [...new Set([...c.evidence, ...derived])];
      return { ...c, evidence };
    });
    return { ...s, journalFile: jf, checks };
  });
  for (const s of scenarios)
    for (const c of s.checks)
      for (const ref of c.evidence)
        if (!planned.has(ref)) warnings.push(`scenario ${s.id} check ${c.id}: evidence reference ${ref} matches no written file`);
  return { cert: { ...cert, scenarios }, files, entryFile };
}

/**
 * Writes every report of `cert` into `outDir` (created if missing) and returns the files written.
 * Never throws for a failed Allure generation (it becomes a warning); throws on I/O errors.
 */
export async function writeReports(cert: Certificate, outDir: string, opts: WriteReportsOptions = {}): Promise<WriteReportsResult> {
  const timings: Record<string, number> = {};
  const warnings: string[] = [];
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  const start = t;

  await mkdir(outDir, { recursive: true });
  const before = await readdir(outDir);
  if (before.length) warnings.push(`output folder ${outDir} was not empty; files not written by this call are not in manifest.sha256`);

  const { cert: safe } = sanitizeCertificate(cert, opts.secretHeaders, opts.secrets);
  const plan = planEvidence(safe, warnings);
  const full = plan.cert;
  const out = new Output(outDir);
  lap('prepare');

  const packed = (opts.evidence ?? 'packed') === 'packed';
  if (packed) {
    const mtime = Date.parse(full.run.startedAt);
    await out.write(EVIDENCE_ARCHIVE, tarGz(plan.files, Number.isNaN(mtime) ? 0 : mtime / 1000));
  } else await out.writeAll(plan.files);
  lap('evidence');

  await out.write('certificate.json', certificateJson(full, packed ? EVIDENCE_ARCHIVE : undefined));
  await out.write('junit.xml', junitXml(full));
  // redacted with the certificate (sanitizeCertificate scrubs every string of it)
  if (full.ledger) await out.write('ledger.json', `${JSON.stringify(full.ledger, null, 2)}\n`);
  lap('json+junit');

  await out.write('certificate.html', certificateHtml({ cert: full, entryFile: plan.entryFile, journalFile: (s) => s.journalFile, ...(packed ? { archive: EVIDENCE_ARCHIVE } : {}) }));
  lap('html');

  const allure = opts.allure ? allureResults(full) : [];
  await out.writeAll(allure);
  if (opts.allure) lap('allure-results');

  if (opts.allure && opts.allureReport !== false) {
    const r = await generateAllureHtml(
      allure.map((f) => ({ rel: f.rel, data: f.data })),
      `collaudo — ${full.candidate.name} — ${full.verdict}`,
      opts.allureTimeoutMs,
    );
    if (r.html !== undefined) await out.write('allure-report.html', r.html);
    if (r.warning) warnings.push(r.warning);
    lap('allure-report');
  }

  const manifest = out.manifest();
  await out.write('manifest.sha256', manifest);
  lap('manifest');
  timings.total = Math.round((performance.now() - start) * 10) / 10;

  const files = [...out.written.keys()].filter((f) => f !== 'manifest.sha256').sort();
  files.push('manifest.sha256');
  return { files, warnings, timings };
}

/**
 * Merges the certificates of a sharded run (same candidate, same profile): scenarios concatenated in
 * the given order, summary/verdict/exit code recomputed, earliest start and latest end, coverage and
 * declarations united. Throws when the parts are not of one run subject.
 */
export function mergeCertificates(parts: Certificate[]): Certificate {
  if (!parts.length) throw new Error('mergeCertificates: no certificate to merge');
  const first = parts[0]!;
  for (const p of parts.slice(1)) {
    if (p.candidate.seat !== first.candidate.seat || p.candidate.name !== first.candidate.name)
      throw new Error(`mergeCertificates: parts certify different candidates (${first.candidate.seat} ${first.candidate.name} vs ${p.candidate.seat} ${p.candidate.name})`);
    if (p.profile.sha256 !== first.profile.sha256)
      throw new Error(`mergeCertificates: parts were run with different profiles (${first.profile.sha256} vs ${p.profile.sha256})`);
  }
  const scenarios = parts.flatMap((p) => p.scenarios);
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.id)) throw new Error(`mergeCertificates: scenario ${s.id} appears in more than one part`);
    seen.add(s.id);
  }
  const verdicts = scenarios.map((s) => s.verdict);
  const time = (iso: string): number => {
    const n = Date.parse(iso);
    return Number.isNaN(n) ? NaN : n;
  };
  const starts = parts.map((p) => p.run.startedAt).filter((x) => !Number.isNaN(time(x)));
  const ends = parts.map((p) => p.run.endedAt).filter((x) => !Number.isNaN(time(x)));
  const startedAt = starts.sort((a, b) => time(a) - time(b))[0] ?? first.run.startedAt;
  const endedAt = ends.sort((a, b) => time(b) - time(a))[0] ?? first.run.endedAt;

  const coverage = new Map<string, Certificate['coverage'][number]>();
  for (const p of parts) {
    for (const r of p.coverage) {
      const prev = coverage.get(r.id);
      if (!prev) {
        coverage.set(r.id, { ...r, coveredBy: [...r.coveredBy] });
        continue;
      }
      // a row some shard judged takes its verdict from the judging shards only (another shard's
      // NOT_APPLICABLE or missing verdict says nothing of it), and loses the not-judged reason
      const judging = [prev, r].filter((x) => x.coveredBy.length);
      const vs = (judging.length ? judging : [prev, r]).map((x) => x.verdict).filter((v): v is Verdict => v !== undefined);
      const { reason: _r, declared: _d, verdict: _v, ...base } = prev;
      coverage.set(r.id, {
        ...base,
        coveredBy: [...new Set([...prev.coveredBy, ...r.coveredBy])],
        ...(vs.length ? { verdict: overallVerdict(vs) } : {}),
        ...(judging.length ? {} : { ...(prev.reason ?? r.reason ? { reason: prev.reason ?? r.reason } : {}), ...(prev.declared !== undefined ? { declared: prev.declared } : {}) }),
      });
    }
  }
  const declared = new Map<string, Certificate['declared'][number]>();
  for (const p of parts) for (const d of p.declared) declared.set(`${d.requirement}\u0000${d.statement}`, declared.get(`${d.requirement}\u0000${d.statement}`) ?? d);

  return {
    ...first,
    candidate: {
      ...first.candidate,
      features: Object.assign({}, ...parts.map((p) => p.candidate.features)),
      identities: Object.assign({}, ...parts.map((p) => p.candidate.identities)),
    },
    run: { ...first.run, startedAt, endedAt },
    summary: summarize(verdicts),
    verdict: overallVerdict(verdicts),
    exitCode: exitCode(verdicts),
    scenarios,
    declared: [...declared.values()],
    coverage: [...coverage.values()],
  };
}
