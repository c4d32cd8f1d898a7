// Allure results written by us (Allure 2 result format, read by Allure Report 3's "allure2" reader:
// node_modules/@allurereport/reader/dist/allure2), and the single-file Allure report generated from them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { JournalEntry } from '../src/core/journal.js';
import type { Certificate, Check, ScenarioResult, Verdict } from '../src/core/model.js';
import type { OutFile } from './output.js';
import { LEVEL_RANK, scenarioArea } from './text.js';

export type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped';

/** PASS/WARNING → passed, FAIL → failed, ERROR → broken, INCONCLUSIVE/NOT_APPLICABLE → skipped. */
export function allureStatus(v: Verdict): AllureStatus {
  switch (v) {
    case 'PASS':
    case 'WARNING':
      return 'passed';
    case 'FAIL':
      return 'failed';
    case 'ERROR':
      return 'broken';
    default:
      return 'skipped';
  }
}

/** Deterministic UUID-shaped id (same run + scenario → same file names; reproducible manifests). */
function uuidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function severity(s: ScenarioResult, cert: Certificate): string {
  let rank = 0;
  for (const c of s.checks) rank = Math.max(rank, LEVEL_RANK[c.level] ?? 0);
  if (!s.checks.length) {
    for (const r of cert.coverage) if (s.requirements.includes(r.id)) rank = Math.max(rank, LEVEL_RANK[r.level] ?? 0);
  }
  return rank >= 3 ? 'critical' : rank === 2 ? 'normal' : rank === 1 ? 'minor' : 'trivial';
}

function statusMessage(s: ScenarioResult): string | undefined {
  const bad = s.checks.filter((c) => c.verdict !== 'PASS');
  const lines = bad.map((c) => `${c.verdict} ${c.requirements.join(', ')} (${c.level}, ${c.clause}): ${c.message}`);
  if (s.verdict === 'PASS') return undefined;
  return [`${s.verdict}${s.reason ? `: ${s.reason}` : ''}`, ...lines].join('\n');
}

function stepOf(c: Check, start: number): Record<string, unknown> {
  return {
    name: `${c.id}: ${c.title} [${c.level} ${c.requirements.join(', ')}]`,
    status: c.verdict === 'NOT_EXERCISED' ? 'skipped' : allureStatus(c.verdict),
    statusDetails: {
      message: `${c.verdict}: ${c.message}\nclause: ${c.clause}${c.entries.length ? `\njournal entries: ${c.entries.map((n) => `#${n}`).join(', ')}` : ''}${c.evidence.length ? `\nevidence: ${c.evidence.join(', ')}` : ''}`,
    },
    stage: 'finished',
    parameters: [
      { name: 'verdict', value: c.verdict },
      { name: 'clause', value: c.clause },
    ],
    start,
    stop: start,
  };
}

function looksXml(raw: string): boolean {
  return /^\s*</.test(raw);
}

function entryName(e: JournalEntry): string {
  const bits = [`#${String(e.seq).padStart(3, '0')}`, e.direction, e.primitive ?? 'unknown', `(${e.from} → ${e.to})`];
  if (e.httpStatus !== undefined) bits.push(`HTTP ${e.httpStatus}`);
  if (e.latencyMs !== undefined) bits.push(`${e.latencyMs} ms`);
  if (e.transport) bits.push(`transport: ${e.transport}`);
  if (e.xsd && !e.xsd.valid) bits.push('XSD-invalid');
  return bits.join(' ');
}

/** Properties-file escaping (keys and values), ASCII only. */
function prop(s: string, key = false): string {
  let out = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  if (key) out = out.replace(/([ :=#!])/g, '\\$1');
  return out.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Files under `allure-results/`: results, attachments, environment.properties, executor.json, categories.json. */
export function allureResults(cert: Certificate): OutFile[] {
  const files: OutFile[] = [];
  const dir = 'allure-results';
  for (const s of cert.scenarios) {
    const uuid = uuidFrom(cert.run.id, s.seat, s.id);
    const area = scenarioArea(s.id);
    const start = Date.parse(s.startedAt) || Date.parse(cert.run.startedAt) || 0;
    const stop = start + Math.max(0, Math.round(s.durationMs || 0));
    const attachments: { name: string; source: string; type: string }[] = [];
    const jsrc = `${uuidFrom(uuid, 'journal')}-attachment.json`;
    files.push({ rel: `${dir}/${jsrc}`, data: JSON.stringify(s.journal, null, 2) });
    attachments.push({ name: `journal ${s.id} (${s.journal.length} entries, redacted)`, source: jsrc, type: 'application/json' });
    for (const e of s.journal) {
      if (!e.raw) continue;
      const [ext, type] = looksXml(e.raw) ? ['xml', 'application/xml'] : /^\s*[[{]/.test(e.raw) ? ['json', 'application/json'] : ['txt', 'text/plain'];
      const src = `${uuidFrom(uuid, 'entry', String(e.seq))}-attachment.${ext}`;
      files.push({ rel: `${dir}/${src}`, data: e.raw });
      attachments.push({ name: entryName(e), source: src, type });
    }
    const message = statusMessage(s);
    const result = {
      uuid,
      historyId: createHash('md5').update(`${s.seat}|${s.id}`).digest('hex'),
      testCaseId: createHash('md5').update(`collaudo|${s.id}`).digest('hex'),
      name: `${s.id} ${s.title}`,
      fullName: `collaudo.${s.seat}.${area}.${s.id}`,
      titlePath: [s.seat, area],
      description: [
        `**${s.title}**`,
        `_${s.titleIt}_`,
        `- Verdict: **${s.verdict}**${s.reason ? ` — ${s.reason}` : ''}\n- Requirements: ${s.requirements.join(', ') || '—'}\n- Journal: \`${s.journalFile}\``,
      ].join('\n\n'),
      status: allureStatus(s.verdict),
      ...(message ? { statusDetails: { message } } : {}),
      stage: 'finished',
      start,
      stop,
      labels: [
        { name: 'epic', value: s.seat },
        { name: 'feature', value: area },
        { name: 'story', value: s.id },
        { name: 'severity', value: severity(s, cert) },
        ...s.requirements.map((r) => ({ name: 'tag', value: r })),
        { name: 'tag', value: s.verdict },
        { name: 'parentSuite', value: `collaudo ${s.seat}` },
        { name: 'suite', value: area },
        { name: 'framework', value: 'collaudo' },
        { name: 'language', value: 'typescript' },
        { name: 'verdict', value: s.verdict },
      ],
      parameters: [
        { name: 'candidate', value: cert.candidate.name },
        { name: 'seat', value: s.seat },
        { name: 'verdict', value: s.verdict },
        { name: 'SANP', value: cert.sanpVersion },
      ],
      links: [],
      steps: s.checks.map((c) => stepOf(c, start)),
      attachments,
    };
    files.push({ rel: `${dir}/${uuid}-result.json`, data: JSON.stringify(result, null, 2) });
  }
  const env: [string, string][] = [
    ['candidate', cert.candidate.name],
    ['seat', cert.candidate.seat],
    ['endpoint', cert.candidate.endpoint],
    ...Object.entries(cert.candidate.identities).map(([k, v]): [string, string] => [`identity.${k}`, v]),
    ['harness', `${cert.harness.name} ${cert.harness.version}`],
    ['node', cert.harness.node],
    ['sanpVersion', cert.sanpVersion],
    ['catalogue', `${cert.catalogue.snapshot} (${cert.catalogue.requirements} requirements)`],
    ['profile', cert.profile.name],
    ['profile.sha256', cert.profile.sha256],
    ['run.id', cert.run.id],
    ['run.mode', cert.run.mode + (cert.run.mutant ? ` ${cert.run.mutant}` : '')],
    ['run.clock', cert.run.clock],
    ['run.startedAt', cert.run.startedAt],
    ['run.endedAt', cert.run.endedAt],
    ['verdict', cert.verdict],
  ];
  files.push({ rel: `${dir}/environment.properties`, data: env.map(([k, v]) => `${prop(k, true)}=${prop(String(v ?? ''))}\n`).join('') });
  files.push({
    rel: `${dir}/executor.json`,
    data: JSON.stringify(
      {
        name: 'collaudo',
        type: 'collaudo',
        buildName: `${cert.run.mode} ${cert.run.id}`,
        reportName: `collaudo — ${cert.candidate.name}`,
      },
      null,
      2,
    ),
  });
  files.push({
    rel: `${dir}/categories.json`,
    data: JSON.stringify(
      [
        { name: 'Candidate non-conformance (FAIL)', matchedStatuses: ['failed'] },
        { name: 'Harness error (ERROR, not the candidate)', matchedStatuses: ['broken'] },
        { name: 'Inconclusive', matchedStatuses: ['skipped'], messageRegex: 'INCONCLUSIVE[\\s\\S]*' },
        { name: 'Not applicable', matchedStatuses: ['skipped'], messageRegex: 'NOT_APPLICABLE[\\s\\S]*' },
      ],
      null,
      2,
    ),
  });
  return files;
}

function allureCli(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve('allure');
    const cli = path.resolve(path.dirname(main), '..', 'cli.js');
    return existsSync(cli) ? cli : main;
  } catch {
    return undefined;
  }
}

/** Allure 3's awesome template loads Google Analytics unconditionally (`analyticsEnable: true`); a certificate must not phone home. */
export function stripAnalytics(html: string): string {
  return html.replace(
    /<script[^>]*src="https:\/\/www\.googletagmanager\.com\/[^"]*"[^>]*><\/script>\s*<script>[\s\S]*?gtag\([\s\S]*?<\/script>/g,
    '',
  );
}

/** External resources a report must not load (scripts, styles, images, frames). */
export function externalRefs(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi)].map((m) => m[0]);
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '' } },
      (err, stdout, stderr) => {
        const raw: unknown = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof raw === 'number' ? raw : 1, out: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * Generates the single-file Allure report from these result files in a temp folder and returns its HTML
 * (analytics stripped), or a warning. Never throws.
 */
export async function generateAllureHtml(
  results: OutFile[],
  reportName: string,
  timeoutMs = 120_000,
): Promise<{ html?: string; warning?: string }> {
  const cli = allureCli();
  if (!cli) return { warning: 'allure-report.html not written: the `allure` package (Allure Report 3) is not installed' };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'collaudo-allure-'));
  try {
    // the report is built from exactly this certificate's results, never from stale files in the output folder
    const resultsDir = path.join(tmp, 'results');
    await mkdir(resultsDir);
    for (const f of results) await writeFile(path.join(resultsDir, path.basename(f.rel)), f.data);
    const outDir = path.join(tmp, 'report');
    const config = path.join(tmp, 'allurerc.mjs');
    await writeFile(
      config,
      `export default ${JSON.stringify(
        {
          name: reportName,
          output: outDir,
          plugins: { awesome: { options: { singleFile: true, reportName, reportLanguage: 'en', theme: 'light' } } },
        },
        null,
        2,
      )};\n`,
    );
    const r = await run(process.execPath, [cli, 'generate', '--config', config, '--output', outDir, resultsDir], tmp, timeoutMs);
    const index = path.join(outDir, 'index.html');
    if (r.code !== 0 || !existsSync(index)) {
      const tail = r.out.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-5).join(' | ');
      return { warning: `allure-report.html not written: allure generate exited with ${r.code}${tail ? `: ${tail}` : ''}` };
    }
    const html = stripAnalytics(await readFile(index, 'utf8'));
    const ext = externalRefs(html);
    if (ext.length) return { warning: `allure-report.html not written: the generated report loads external resources (${ext.slice(0, 3).join(', ')})` };
    return { html };
  } catch (e) {
    return { warning: `allure-report.html not written: ${(e as Error).message}` };
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}
