// The PSP's queries of the Nodo's informative documents (OLD-REC-PSP-03, -06; L2252-2284): asked to
// (old-psp-informativa), the candidate calls nodoChiediInformativaPA for the emulated EC's Tabella delle
// Controparti and nodoChiediTemplateInformativaPSP for its own catalogue as the Nodo holds it. The
// harness judges what the wire shows: each request valid against the schema, naming the candidate's
// channel (the Nodo's caller rule answers esito OK) and, for the Tabella, the EC asked; and each answer
// carrying its document. What the candidate does with the documents is not on the wire.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import { nodoPerPsp } from '../../../interfaces/index.js';
import { decodeEnvelope } from '../../../src/wire/soap.js';
import type { El } from '../../../src/wire/xml.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { type Exchange, pspCalls, usable } from './lib.js';

type Def = ScenarioDef<OldPspContext>;

/** The request's body decoded against our schema, or the schema's first errors. */
function requestOf(x: Exchange): { body?: El; errors: string[] } {
  const d = decodeEnvelope(x.request.raw, { ops: nodoPerPsp.operations, validate: true });
  if (!d.ok) return { errors: [d.message] };
  return { body: d.msg.body, errors: d.msg.xsd.valid ? [] : d.msg.xsd.errors.slice(0, 3) };
}

/** The text of `name` in an answer's body (the response element or its result). */
const docIn = (x: Exchange, name: string): string | undefined => {
  const b = x.answer.body;
  if (!b) return undefined;
  const find = (e: El): string | undefined => (e.name === name ? e.text : e.children.map(find).find((v) => v !== undefined));
  return find(b);
};

/** One query judged: it came, valid, answered esito OK with `doc`; `more` adds what else the request must say. */
function judgeQuery(t: OldPspContext, id: string, primitive: string, since: number, doc: string, more: (body: El | undefined) => Bi | undefined = () => undefined): void {
  const x = pspCalls(t, primitive, since).at(-1);
  if (!x) return void t.check({ id, held: false, message: [`${primitive}: the candidate never called it after the trigger`, `${primitive}: il candidato non l'ha mai chiamata dopo il trigger`] });
  const req = requestOf(x);
  const [got, gotIt] = answerSaid(x.answer, 'esito');
  const problems = [
    ...req.errors.map((e): Bi => [`request: ${e}`, `richiesta: "${e}"`]),
    more(req.body),
    usable(x.answer) && x.answer.outcome === 'OK' ? undefined : ([`the Nodo answered ${got}`, `il Nodo ha risposto ${gotIt}`] as Bi),
    x.answer.outcome === 'OK' && !docIn(x, doc) ? ([`esito OK without ${doc}`, `esito OK senza ${doc}`] as Bi) : undefined,
  ].filter((p): p is Bi => !!p);
  t.check({
    id,
    held: !problems.length,
    message: problems.length
      ? joinSaid([[`${primitive}: `, `${primitive}: `], joinSaid(problems)], '')
      : [`${primitive}: a valid request of channel ${t.channel.idChannel}, answered esito OK with ${doc}`, `${primitive}: una richiesta valida del canale ${t.channel.idChannel}, con risposta esito OK e ${doc}`],
    entries: [x.request, x.response],
  });
}

const informativa: Def = {
  id: 'PSP-OLD-INFO-01',
  title: "The PSP's queries of the Nodo's informative documents: the ECs' Tabella delle Controparti and its own catalogue's template",
  titleIt: 'Le richieste del PSP dei documenti informativi al Nodo: la Tabella delle Controparti degli EC e il template del proprio catalogo',
  seat: 'psp',
  model: 'old',
  checks: [
    spec(
      'informativa-pa',
      [
        "nodoChiediInformativaPA, valid against the schema, names the candidate's channel and the EC asked: the Nodo answers esito OK with the Tabella delle Controparti (xmlInformativa)",
        "nodoChiediInformativaPA, valida rispetto allo schema, indica il canale del candidato e l'EC richiesto: il Nodo risponde esito OK con la Tabella delle Controparti (xmlInformativa)",
      ],
      'OLD-REC-PSP-06',
    ),
    spec(
      'template',
      [
        "nodoChiediTemplateInformativaPSP, valid against the schema, names the candidate's channel: the Nodo answers esito OK with the catalogue it holds for the PSP (xmlTemplateInformativa)",
        'nodoChiediTemplateInformativaPSP, valida rispetto allo schema, indica il canale del candidato: il Nodo risponde esito OK con il catalogo che detiene per il PSP (xmlTemplateInformativa)',
      ],
      'OLD-REC-PSP-03',
    ),
  ],
  async run(t) {
    const ec = t.profile.ec.idPA;
    const ask = await t.ask('old-psp-informativa', { fiscalCode: ec }, { params: { idDominio: ec } });
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoChiediTemplateInformativaPSP', ask.mark, 'nodoChiediTemplateInformativaPSP');
    await t.done(ask);
    if (!pspCalls(t, 'nodoChiediInformativaPA', ask.mark).length && !pspCalls(t, 'nodoChiediTemplateInformativaPSP', ask.mark).length) {
      return t.inconclusive([
        `the candidate never acted: neither nodoChiediInformativaPA nor nodoChiediTemplateInformativaPSP at the harness's Nodo within ${t.deadlineMs} ms of the trigger`,
        `il candidato non ha mai agito: né nodoChiediInformativaPA né nodoChiediTemplateInformativaPSP al Nodo del collaudo entro ${t.deadlineMs} ms dal trigger`,
      ]);
    }
    judgeQuery(t, 'informativa-pa', 'nodoChiediInformativaPA', ask.mark, 'xmlInformativa', (b) => {
      const d = b?.children.find((c) => c.name === 'identificativoDominio')?.text;
      return d === undefined || d === ec ? undefined : [`identificativoDominio ${d}, the EC asked is ${ec}`, `identificativoDominio ${d}, l'EC richiesto è ${ec}`];
    });
    judgeQuery(t, 'template', 'nodoChiediTemplateInformativaPSP', ask.mark, 'xmlTemplateInformativa');
  },
};

export const informativaScenarios: Def[] = [informativa];
