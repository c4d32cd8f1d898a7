// The field rules of a legacy-named SOAP request a candidate sends (IF-<op>-F01…, catalogue of the new
// model's interfaces): the FdR upload of a PSP (nodoInviaFlussoRendicontazione on nodeForPsp) and the
// flow reads of an EC (nodoChiedi*Rendicontazione on nodeForPa). One check per operation: every request
// validates against our schema of the interface, and its caller fields are the candidate's own. A failure
// names the field rules of the fields that were wrong; a PASS names those it judged and carries the
// requests. Recorded only when such a request occurred.
import type { JournalEntry } from '../src/core/journal.js';
import { type BaseContext, type CheckSpec, spec } from '../src/core/scenario.js';
import { textOf } from '../src/wire/xml.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { clipQuoted, quoted } from '../src/core/text.js';

/**
 * An operation's request fields: each field rule's id (IF-<op>-Fnn) with the element it governs. The
 * tables live with their seat's suite (suites/psp/fdr-judge.ts UPLOAD_FIELDS, suites/ec/fdr/fields.ts),
 * their ids written out, as the catalogue's scan of each suite's source expects.
 */
export interface RequestFields {
  op: string;
  fields: Record<string, string>;
  /** the rules of the fields that name the caller (compared with the profile; a password is never printed) */
  caller: string[];
}

const checkId = (r: RequestFields) => `fields-${r.op}`;

/** The check a scenario declares when it calls judgeRequestFields for `r`. */
export function requestFieldsSpec(r: RequestFields, iface: string): CheckSpec {
  return spec(
    checkId(r),
    [`every ${r.op} the candidate sends validates against ${iface}, field by field, and names the candidate itself`, `ogni ${r.op} inviata dal candidato è valida rispetto a ${iface}, campo per campo, e indica il candidato stesso`],
    Object.keys(r.fields),
  );
}

/**
 * Judges the requests of `r.op` among `requests` (the candidate's, from the journal). `own`: the values
 * the caller fields must carry (field name → value), from the profile.
 */
export function judgeRequestFields(t: BaseContext, r: RequestFields, requests: JournalEntry[], own: Record<string, string>): void {
  const reqs = requests.filter((e) => e.direction === 'request' && e.primitive === r.op);
  if (!reqs.length) return;
  const wrong = new Set<string>();
  const problems: string[] = [];
  const problemsIt: string[] = [];
  const bad: JournalEntry[] = [];
  for (const e of reqs) {
    const errors = e.xsd && !e.xsd.valid ? e.xsd.errors : [];
    const named = errors.map((x) => /Element '(?:\{[^}]*\})?([^']+)'/.exec(x)?.[1]).filter((x): x is string => !!x);
    for (const [n, field] of Object.entries(r.fields)) if (named.includes(field)) wrong.add(n);
    let faulty = errors.length > 0;
    if (faulty) {
      problems.push(`${errors[0]}`);
      // the validator's diagnostic is data: quoted in the Italian
      problemsIt.push(quoted(`${errors[0]}`));
    }
    const d = decodeEnvelope(e.raw, { validate: false });
    const body = d.ok ? d.msg.body : undefined;
    for (const n of r.caller) {
      const field = r.fields[n]!;
      const want = own[field];
      if (want === undefined) continue;
      const got = body ? textOf(body, field) : undefined;
      if (got === want) continue;
      wrong.add(n);
      faulty = true;
      problems.push(field === 'password' ? 'password differs from the profile’s' : `${field} ${got ?? '(absent)'} ≠ ${want}`);
      problemsIt.push(field === 'password' ? 'password diversa da quella del profilo' : `${field} ${got ?? '(assente)'} ≠ ${want}`);
    }
    if (faulty) bad.push(e);
  }
  const held = bad.length === 0;
  t.check({
    id: checkId(r),
    requirements: held ? Object.keys(r.fields) : wrong.size ? [...wrong] : undefined,
    held,
    message: held
      ? [`${reqs.length} request(s), each valid and naming the candidate`, `${reqs.length} richieste, ciascuna valida e che indica il candidato stesso`]
      : [`${bad.length} of ${reqs.length} wrong: ${[...new Set(problems)].join('; ').slice(0, 300)}`, `${bad.length} su ${reqs.length} errate: ${clipQuoted([...new Set(problemsIt)].join('; '), 300)}`],
    entries: held ? reqs : bad,
  });
}
