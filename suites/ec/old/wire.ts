// The candidate station on the wire (OLD-X-AUTH-01, the EC side): it refuses a Nodo call whose
// intestazionePPT names another domain, broker or station (PAA_ID_DOMINIO_ERRATO,
// PAA_ID_INTERMEDIARIO_ERRATO, PAA_STAZIONE_INT_ERRATA), an RT that breaks its schema (every field
// rule of PagInf_RPT_RT, generated from our XSD: PAA_SINTASSI_XSD) and an envelope that breaks the
// interface's (PAA_SINTASSI_EXTRAXSD / _XSD).
import path from 'node:path';
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { PACKAGE_ROOT } from '../../../src/core/paths.js';
import { NS_OLD, OLD_DOCUMENT_SCHEMAS, newIuv, rtFor, rtXml, toBase64 } from '../../../domain/old/index.js';
import { type NegativeCase, generateDocumentNegatives } from '../../../src/negative/generate.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { type Answer, noAnswer, stationExchanges } from './lib.js';
import { checkKo } from './judge.js';
import { syntheticRpt } from './receipts.js';

type Def = ScenarioDef<OldEcContext>;
const RT_SCHEMA = path.join(PACKAGE_ROOT, 'interfaces', 'old', 'documents', OLD_DOCUMENT_SCHEMAS.RT);
/** At most this many generated RTs per run: every kind of rule, sampled evenly over the fields. */
const NEGATIVE_RTS = 24;

/** A fresh IUV/CCP of the station the EC never sent an RPT for, and the header naming it. */
function freshKeys(t: OldEcContext, salt: number): { iuv: string; ccp: string; header: NodeObj } {
  const { iuv } = newIuv({ auxDigit: 3, segregationCode: t.profile.ec.segregationCode ?? '01' }, Number((t.clock.now() + salt) % 1_000_000_000));
  const ccp = `COLL${salt}${t.clock.now() % 1_000_000}`;
  const header = { identificativoIntermediarioPA: t.station.idIntermediarioPA, identificativoStazioneIntermediarioPA: t.station.idStazione, identificativoDominio: t.station.idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp };
  return { iuv, ccp, header };
}

/** A hand-made paaInviaRT and the candidate's answer to it. */
async function sendRt(t: OldEcContext, header: NodeObj, rt: string, note: string): Promise<Answer> {
  const mark = t.journal.entries.length;
  const r = await t.nodo.callStation('paaInviaRT', { tipoFirma: '0', rt: toBase64(rt) }, { header, note });
  return stationExchanges(t, 'paaInviaRT', () => true, mark).at(-1) ?? noAnswer(r.transport, `no exchange recorded (${r.transport})`, `nessuno scambio registrato (${r.transport})`);
}

/** Italian of the generator's words for a value's type (WRONG_TYPE of src/negative/generate.ts). */
const TYPE_IT: Record<string, string> = {
  'an amount with one decimal': 'un importo con un solo decimale',
  'a date that does not exist': 'una data inesistente',
  'a date-time that does not exist': 'una data e ora inesistente',
  'a non-boolean': 'un valore non booleano',
  'a non-integer': 'un valore non intero',
  'text that is not base64': 'un testo che non è base64',
};

/**
 * A generated case's change in Italian, read from the generator's description (its few fixed forms);
 * a form not known here is told from the case's kind and path, so nothing is left in English.
 */
export function changeIt(c: Pick<NegativeCase, 'kind' | 'path' | 'change'>): string {
  const forms: [RegExp, (...m: string[]) => string][] = [
    [/^unknown element (<\S+>) appended inside (\S+)$/, (el, at) => `elemento sconosciuto ${el} aggiunto dentro ${at}`],
    [/^(<\S+>) and (<\S+>) swapped inside (\S+) \(order of the sequence\)$/, (a, b, at) => `${a} e ${b} scambiati dentro ${at} (ordine della sequenza)`],
    [/^mandatory (<\S+>) removed$/, (el) => `${el} obbligatorio rimosso`],
    [/^(<\S+>) without content$/, (el) => `${el} senza contenuto`],
    [/^(<\S+>) qualified with the wrapper's namespace \(children are unqualified, ([^)]+)\)$/, (el, ref) => `${el} qualificato con il namespace del wrapper (i figli non sono qualificati, ${ref})`],
    [/^(<\S+>): empty value$/, (el) => `${el}: valore vuoto`],
    [/^(<\S+>): (\d+) characters \((maxLength|length) (\d+)\)$/, (el, n, facet, max) => `${el}: ${n} caratteri (${facet} ${max})`],
    [/^(<\S+>): one character more than the valid value \(pattern (.+)\)$/, (el, pat) => `${el}: un carattere in più del valore valido (pattern ${pat})`],
    [/^(<\S+>): ("[^"]*") does not match (.+)$/, (el, v, pat) => `${el}: ${v} non corrisponde a ${pat}`],
    [/^(<\S+>): ("[^"]*") is not one of (.+)$/, (el, v, list) => `${el}: ${v} non è tra ${list}`],
    [/^(<\S+>): ("[^"]*"): (.+) \(type (\S+)\)$/, (el, v, what, type) => `${el}: ${v}: ${TYPE_IT[what] ?? `"${what}"`} (tipo ${type})`],
    [/^(<\S+>): ("[^"]*") above maxInclusive (\S+)$/, (el, v, max) => `${el}: ${v} oltre maxInclusive ${max}`],
    [/^(<\S+>): ("[^"]*") below minInclusive (\S+)$/, (el, v, min) => `${el}: ${v} sotto minInclusive ${min}`],
  ];
  for (const [re, it] of forms) {
    const m = re.exec(c.change);
    if (m) return it(...m.slice(1));
  }
  return `${c.path || 'RT'}: caso ${c.kind}`;
}

const OTHER = { domain: '00000000000', broker: '00000000000', station: '00000000000_99' };

const selfCheck: Def = {
  id: 'EC-OLD-AUTH-01',
  title: 'A Nodo call addressed to another domain, broker or station is refused with its PAA_ code',
  titleIt: 'Una chiamata del Nodo indirizzata a un altro dominio, intermediario o stazione è rifiutata con il suo codice PAA_',
  seat: 'ec',
  model: 'old',
  checks: [
    spec('wrong-domain', ['intestazionePPT naming another identificativoDominio: KO PAA_ID_DOMINIO_ERRATO', 'intestazionePPT che indica un altro identificativoDominio: KO PAA_ID_DOMINIO_ERRATO'], 'OLD-X-AUTH-01'),
    spec('wrong-broker', ['intestazionePPT naming another identificativoIntermediarioPA: KO PAA_ID_INTERMEDIARIO_ERRATO', 'intestazionePPT che indica un altro identificativoIntermediarioPA: KO PAA_ID_INTERMEDIARIO_ERRATO'], 'OLD-X-AUTH-01'),
    spec('wrong-station', ['intestazionePPT naming another identificativoStazioneIntermediarioPA: KO PAA_STAZIONE_INT_ERRATA', 'intestazionePPT che indica un altro identificativoStazioneIntermediarioPA: KO PAA_STAZIONE_INT_ERRATA'], 'OLD-X-AUTH-01'),
  ],
  async run(t) {
    const cases = [
      { id: 'wrong-domain', field: 'identificativoDominio', value: OTHER.domain, code: 'PAA_ID_DOMINIO_ERRATO' },
      { id: 'wrong-broker', field: 'identificativoIntermediarioPA', value: OTHER.broker, code: 'PAA_ID_INTERMEDIARIO_ERRATO' },
      { id: 'wrong-station', field: 'identificativoStazioneIntermediarioPA', value: OTHER.station, code: 'PAA_STAZIONE_INT_ERRATA' },
    ];
    for (const [i, c] of cases.entries()) {
      const k = freshKeys(t, i + 1);
      const rt = rtXml(rtFor(syntheticRpt(t, k.iuv, k.ccp), 'positive', { now: t.clock.now() }));
      const a = await sendRt(t, { ...k.header, [c.field]: c.value }, rt, `intestazionePPT.${c.field} = ${c.value} (not this station's)`);
      checkKo(t, c.id, a, [c.code], [`paaInviaRT with intestazionePPT.${c.field} ${c.value}`, `paaInviaRT con intestazionePPT.${c.field} ${c.value}`]);
    }
  },
};

const negativeRts: Def = {
  id: 'EC-OLD-NEG-01',
  title: 'RTs that break the document schema, one field rule each, are refused with PAA_SINTASSI_XSD',
  titleIt: "RT che violano l'XSD del documento, una regola per volta, sono rifiutate con PAA_SINTASSI_XSD",
  seat: 'ec',
  model: 'old',
  checks: [spec('rt-invalid-refused', ['an RT invalid against PagInf_RPT_RT_6_2_0.xsd is answered KO PAA_SINTASSI_XSD', 'una RT non valida rispetto a PagInf_RPT_RT_6_2_0.xsd riceve KO PAA_SINTASSI_XSD'], 'OLD-X-AUTH-01')],
  async run(t) {
    const k = freshKeys(t, 7);
    const valid = rtXml(rtFor(syntheticRpt(t, k.iuv, k.ccp), 'positive', { now: t.clock.now() }));
    const cases = generateDocumentNegatives({ schema: RT_SCHEMA, ns: NS_OLD.pagamenti, root: 'RT' }, valid, { max: NEGATIVE_RTS });
    for (const c of cases) {
      const a = await sendRt(t, k.header, c.envelope, `generated RT ${c.id}: ${c.change}`);
      checkKo(t, 'rt-invalid-refused', a, ['PAA_SINTASSI_XSD'], [`RT ${c.id} (${c.change})`, `RT ${c.id} (${changeIt(c)})`]);
    }
  },
};

const malformed: Def = {
  id: 'EC-OLD-NEG-02',
  title: 'A paaInviaRT envelope that breaks the interface schema is refused with PAA_SINTASSI_EXTRAXSD or PAA_SINTASSI_XSD',
  titleIt: "Una busta paaInviaRT che viola l'XSD dell'interfaccia è rifiutata con PAA_SINTASSI_EXTRAXSD o PAA_SINTASSI_XSD",
  seat: 'ec',
  model: 'old',
  checks: [spec('envelope-refused', ['a request without its rt, or with an element the schema does not know, is answered KO PAA_SINTASSI_EXTRAXSD or PAA_SINTASSI_XSD', "una richiesta senza il suo rt, o con un elemento che l'XSD non conosce, riceve KO PAA_SINTASSI_EXTRAXSD o PAA_SINTASSI_XSD"], 'OLD-X-AUTH-01')],
  async run(t) {
    const k = freshKeys(t, 9);
    const rt = toBase64(rtXml(rtFor(syntheticRpt(t, k.iuv, k.ccp), 'positive', { now: t.clock.now() })));
    for (const [what, whatIt, content] of [
      ['without <rt>', 'senza <rt>', { tipoFirma: '0' }],
      ['with an unknown element <collaudo>', 'con un elemento sconosciuto <collaudo>', { tipoFirma: '0', rt, collaudo: 'x' }],
    ] as const) {
      const mark = t.journal.entries.length;
      await t.nodo.callStation('paaInviaRT', content, { header: k.header, note: `paaInviaRT ${what}` });
      const a = stationExchanges(t, 'paaInviaRT', () => true, mark).at(-1) ?? noAnswer('none', 'no exchange recorded', 'nessuno scambio registrato');
      checkKo(t, 'envelope-refused', a, ['PAA_SINTASSI_EXTRAXSD', 'PAA_SINTASSI_XSD'], [`paaInviaRT ${what}`, `paaInviaRT ${whatIt}`]);
    }
  },
};

export const wireScenarios: Def[] = [selfCheck, negativeRts, malformed];
