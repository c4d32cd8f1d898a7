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

/** An operation's request fields, by rule number (F01…), and which of them name the caller. */
export interface RequestFields {
  op: string;
  fields: Record<string, string>;
  /** rule number → the profile value the field must carry (password compared, never printed) */
  caller: string[];
}

export const UPLOAD_FIELDS: RequestFields = {
  op: 'nodoInviaFlussoRendicontazione',
  fields: { F01: 'identificativoPSP', F02: 'identificativoIntermediarioPSP', F03: 'identificativoCanale', F04: 'password', F05: 'identificativoDominio', F06: 'identificativoFlusso', F07: 'dataOraFlusso', F08: 'xmlRendicontazione' },
  caller: ['F01', 'F02', 'F03', 'F04'],
};

const EC_READ = { F01: 'identificativoIntermediarioPA', F02: 'identificativoStazioneIntermediarioPA', F03: 'password', F04: 'identificativoDominio', F05: 'identificativoPSP' };
export const LIST_FIELDS: RequestFields = { op: 'nodoChiediElencoFlussiRendicontazione', fields: EC_READ, caller: ['F01', 'F02', 'F03'] };
export const READ_FIELDS: RequestFields = { op: 'nodoChiediFlussoRendicontazione', fields: { ...EC_READ, F06: 'identificativoFlusso' }, caller: ['F01', 'F02', 'F03'] };

const ruleId = (r: RequestFields, n: string) => `IF-${r.op}-${n}`;
const checkId = (r: RequestFields) => `fields-${r.op}`;

/** The check a scenario declares when it calls judgeRequestFields for `r`. */
export function requestFieldsSpec(r: RequestFields, iface: string): CheckSpec {
  return spec(checkId(r), `every ${r.op} the candidate sends validates against ${iface}, field by field, and names the candidate itself`, Object.keys(r.fields).map((n) => ruleId(r, n)));
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
  const bad: JournalEntry[] = [];
  for (const e of reqs) {
    const errors = e.xsd && !e.xsd.valid ? e.xsd.errors : [];
    const named = errors.map((x) => /Element '(?:\{[^}]*\})?([^']+)'/.exec(x)?.[1]).filter((x): x is string => !!x);
    for (const [n, field] of Object.entries(r.fields)) if (named.includes(field)) wrong.add(n);
    let faulty = errors.length > 0;
    if (faulty) problems.push(`${errors[0]}`);
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
    }
    if (faulty) bad.push(e);
  }
  const held = bad.length === 0;
  t.check({
    id: checkId(r),
    requirements: held ? Object.keys(r.fields).map((n) => ruleId(r, n)) : wrong.size ? [...wrong].map((n) => ruleId(r, n)) : undefined,
    held,
    message: held ? `${reqs.length} request(s), each valid and naming the candidate` : `${bad.length} of ${reqs.length} wrong: ${[...new Set(problems)].join('; ').slice(0, 300)}`,
    entries: held ? reqs : bad,
  });
}
