// JUnit XML (DESIGN.md verdict table): one testsuite per seat, one testcase per scenario.
// PASS → passed; WARNING → passed, its verdict said in system-out; FAIL → <failure> naming requirement,
// clause and journal entries; INCONCLUSIVE / NOT_APPLICABLE → <skipped message="reason"/>; ERROR → <error>.
// Valid against the Jenkins xUnit plugin's junit-10.xsd (test/fixtures/schemas/, test/ci-templates.test.ts):
// a testcase has no <properties> there and <testsuites> no skipped count, so a scenario's verdict,
// requirements and journal open its system-out, and the skipped counts stay on each testsuite.
import type { Certificate, Check, ScenarioResult } from '../src/core/model.js';
import { esc, escAttr, scenarioArea } from './text.js';

const SKIPPED = new Set(['INCONCLUSIVE', 'NOT_APPLICABLE']);

function checkLine(c: Check): string {
  const ev = c.evidence.length ? `\n    evidence: ${c.evidence.join(', ')}` : '';
  const entries = c.entries.length ? `\n    journal entries: ${c.entries.map((n) => `#${n}`).join(', ')}` : '';
  return `- [${c.verdict}] ${c.id} (${c.level} ${c.requirements.join(', ')}) ${c.title}\n    clause: ${c.clause}\n    ${c.message}${entries}${ev}`;
}

function failureOf(s: ScenarioResult): { message: string; body: string } {
  const failing = s.checks.filter((c) => c.verdict === 'FAIL');
  const first = failing[0];
  const message = first
    ? `${first.requirements.join(', ')} violated (${first.clause}): ${first.message}${failing.length > 1 ? ` (+${failing.length - 1} more)` : ''}`
    : `FAIL: ${s.reason ?? 'no failing check recorded'}`;
  const body = [
    `Scenario ${s.id} FAILED (a MUST requirement was violated).`,
    ...(s.reason ? [`reason: ${s.reason}`] : []),
    ...failing.map(checkLine),
    `journal: ${s.journalFile}`,
  ].join('\n');
  return { message, body };
}

function errorOf(s: ScenarioResult): { message: string; body: string } {
  const broken = s.checks.filter((c) => c.verdict === 'ERROR');
  const message = `harness error: ${s.reason ?? broken[0]?.message ?? 'unknown'}`;
  const body = [
    `Scenario ${s.id}: the harness itself broke; this is not the candidate's FAIL.`,
    ...(s.reason ? [`reason: ${s.reason}`] : []),
    ...broken.map(checkLine),
    `journal: ${s.journalFile}`,
  ].join('\n');
  return { message, body };
}

function skipReason(s: ScenarioResult): string {
  const undecided = s.checks.filter((c) => c.verdict === 'INCONCLUSIVE').map((c) => `${c.id}: ${c.message}`);
  const why = s.reason ?? (undecided.join('; ') || 'no reason recorded');
  return `${s.verdict}: ${why}`;
}

function testcase(s: ScenarioResult): string {
  const props = [
    ['verdict', s.verdict],
    ['requirements', s.requirements.join(' ')],
    ['titleIt', s.titleIt],
    ['journal', s.journalFile],
    ...(s.reason ? [['reason', s.reason]] : []),
  ];
  const lines = [`    <testcase classname="${escAttr(`${s.seat}.${scenarioArea(s.id)}`)}" name="${escAttr(`${s.id} ${s.title}`)}" time="${(s.durationMs / 1000).toFixed(3)}">`];
  if (s.verdict === 'FAIL') {
    const f = failureOf(s);
    lines.push(`      <failure message="${escAttr(f.message)}" type="FAIL">${esc(f.body)}</failure>`);
  } else if (s.verdict === 'ERROR') {
    const f = errorOf(s);
    lines.push(`      <error message="${escAttr(f.message)}" type="ERROR">${esc(f.body)}</error>`);
  } else if (SKIPPED.has(s.verdict)) {
    lines.push(`      <skipped message="${escAttr(skipReason(s))}"/>`);
  }
  const out = [...props.map(([n, v]) => `${n}: ${v}`), ...s.checks.map(checkLine)].join('\n');
  lines.push(`      <system-out>${esc(out)}</system-out>`);
  lines.push(`    </testcase>`);
  return lines.join('\n');
}

export function junitXml(cert: Certificate): string {
  const bySeat = new Map<string, ScenarioResult[]>();
  for (const s of cert.scenarios) {
    const seat = s.seat ?? cert.candidate.seat;
    bySeat.set(seat, [...(bySeat.get(seat) ?? []), s]);
  }
  const total = { tests: 0, failures: 0, errors: 0, time: 0 };
  const suites: string[] = [];
  for (const [seat, list] of bySeat) {
    const n = {
      tests: list.length,
      failures: list.filter((s) => s.verdict === 'FAIL').length,
      errors: list.filter((s) => s.verdict === 'ERROR').length,
      skipped: list.filter((s) => SKIPPED.has(s.verdict)).length,
      time: list.reduce((a, s) => a + (s.durationMs || 0), 0) / 1000,
    };
    total.tests += n.tests;
    total.failures += n.failures;
    total.errors += n.errors;
    total.time += n.time;
    const first = list.map((s) => s.startedAt).filter(Boolean).sort()[0] ?? cert.run.startedAt;
    suites.push(
      [
        `  <testsuite name="${escAttr(`collaudo ${seat}: ${cert.candidate.name}`)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${n.time.toFixed(3)}" timestamp="${escAttr(first)}">`,
        `    <properties>`,
        ...[
          ['seat', seat],
          ['candidate', cert.candidate.name],
          ['endpoint', cert.candidate.endpoint],
          ['harness', `${cert.harness.name} ${cert.harness.version}`],
          ['sanpVersion', cert.sanpVersion],
          ['profileSha256', cert.profile.sha256],
          ['runId', cert.run.id],
          ['mode', cert.run.mode + (cert.run.mutant ? ` ${cert.run.mutant}` : '')],
          ['embedded', String(!!cert.candidate.embedded)],
        ].map(([k, v]) => `      <property name="${escAttr(k)}" value="${escAttr(v)}"/>`),
        `    </properties>`,
        ...list.map((s) => testcase(s)),
        `  </testsuite>`,
      ].join('\n'),
    );
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escAttr(`collaudo ${cert.harness.version}: ${cert.candidate.embedded ? 'NOT A CERTIFICATION (embedded reference implementation) — ' : ''}${cert.candidate.name}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${total.time.toFixed(3)}">`,
    ...suites,
    `</testsuites>`,
    '',
  ].join('\n');
}
