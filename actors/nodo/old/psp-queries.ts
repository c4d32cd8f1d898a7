// The auxiliary queries between the Nodo and a PSP (catalogue §3.4, §3.5):
//  - pspChiediAvanzamentoRPT (P39, OLD-RT-ADV-01/02, L2391-2413): the Nodo asks a PSP where an RPT
//    (or cart) it delivered stands; the PSP answers OK with the state (value), or KO
//    CANALE_RPT_SCONOSCIUTA / CANALE_RPT_RIFIUTATA. The Nodo calls it when it needs to (L2393, MAY):
//    a seat's call, returned as data with what the Nodo's own records lead it to expect.
//  - nodoChiediInformativaPA (P19, OLD-REC-PSP-06/07): the ECs' Tabelle delle Controparti, one EC or all.
//  - nodoChiediTemplateInformativaPSP (P20, OLD-REC-PSP-03/04): the PSP's catalogue as the Nodo holds
//    it (its registry: the catalogue last configured), the same rendering as nodoChiediInformativaPSP.
import type { Operation } from '../../../src/wire/contract.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import { textOf } from '../../../src/wire/xml.js';
import { type OldCtx, koOf } from './context.js';
import { oldFault } from './faults.js';
import type { RtKeys } from './push-script.js';
import { chiediInformativaPSP, informativaPA } from './queries.js';

export type AvanzamentoExpected = 'state' | 'CANALE_RPT_SCONOSCIUTA' | 'CANALE_RPT_RIFIUTATA';

export interface AvanzamentoRpt extends RtKeys {
  idChannel: string;
  at: number;
  /** the PSP's answer: OK (with value), KO (its faultCode), or nothing usable */
  outcome: 'ok' | 'ko' | 'failed';
  value?: string;
  faultCode?: string;
  reason?: string;
  /** the answers the Nodo's records allow: the RPT at the PSP → its state; never delivered there → SCONOSCIUTA; refused by it → RIFIUTATA */
  expected: AvanzamentoExpected[];
  /** where the answer departs from what the spec asks (empty: as asked) */
  problems: string[];
  /** the problems in Italian, one for one (the certificate's Italian view) */
  problemsIt: string[];
}

/** P39: asks the PSP (the channel the RPT went to, or `idChannel`) where the RPT stands. */
export async function chiediAvanzamentoRPT(c: OldCtx, keys: RtKeys, o: { idChannel?: string } = {}): Promise<AvanzamentoRpt> {
  const rec = c.store.find(keys.idDominio, keys.iuv, keys.ccp);
  const idChannel = o.idChannel ?? rec?.psp.idChannel ?? '';
  const channel = c.reg.channels.find((x) => x.idChannel === idChannel);
  if (!channel) throw new Error(`chiediAvanzamentoRPT: channel ${idChannel || '(none: the Nodo holds no such RPT)'} is not registered`);
  const atThisPsp = rec && channel.psps.includes(rec.psp.idPSP);
  const expected: AvanzamentoExpected[] =
    !rec || !atThisPsp || ['RPT_RIFIUTATA_NODO', 'RPT_ACCETTATA_NODO', 'RPT_ATTESA_SCELTA_WISP', 'RPT_ANNULLATA_WISP'].includes(rec.stato)
      ? ['CANALE_RPT_SCONOSCIUTA']
      : rec.stato === 'RPT_RIFIUTATA_PSP'
        ? ['CANALE_RPT_RIFIUTATA']
        : rec.stato === 'RPT_ERRORE_INVIO_A_PSP'
          ? ['state', 'CANALE_RPT_SCONOSCIUTA', 'CANALE_RPT_RIFIUTATA']
          : ['state'];
  const at = c.clock.now();
  const { verdict: v } = await c.calls.psp('pspChiediAvanzamentoRPT', channel, { identificativoDominio: keys.idDominio, identificativoUnivocoVersamento: keys.iuv, codiceContestoPagamento: keys.ccp }, { corr: { ...keys }, timeoutMs: c.timeouts.psp, note: 'progress of an RPT at the PSP' });
  const out: AvanzamentoRpt = { ...keys, idChannel, at, outcome: 'failed', expected, problems: [], problemsIt: [] };
  const problem = (en: string, it: string) => {
    out.problems.push(en);
    out.problemsIt.push(it);
  };
  if (v.kind === 'ok') {
    out.outcome = 'ok';
    out.value = textOf(v.body, 'value');
    if (!out.value) problem('esito OK without the state of the RPT in value (L2405)', 'esito OK senza lo stato della RPT in <value> (L2405)');
    if (!expected.includes('state')) {
      problem(
        `OK with a state, but the Nodo ${!rec || !atThisPsp ? 'never delivered the RPT to this PSP' : `holds the RPT as ${rec.stato}`}: ${expected.join(' or ')} expected (L2412-2413)`,
        `OK con uno stato, ma il Nodo ${!rec || !atThisPsp ? 'non ha mai consegnato la RPT a questo PSP' : `ha la RPT in stato ${rec.stato}`}: atteso ${expected.join(' o ')} (L2412-2413)`,
      );
    }
  } else if (v.kind === 'ko') {
    out.outcome = 'ko';
    out.faultCode = v.fault.faultCode;
    out.reason = v.fault.description;
    if (!expected.includes(v.fault.faultCode as AvanzamentoExpected)) {
      problem(
        `KO ${v.fault.faultCode}, but ${expected.map((e) => (e === 'state' ? 'the state (OK)' : e)).join(' or ')} expected (L2403-2413)`,
        `KO ${v.fault.faultCode}, ma atteso ${expected.map((e) => (e === 'state' ? 'lo stato (OK)' : e)).join(' o ')} (L2403-2413)`,
      );
    }
  } else {
    out.reason = `${v.kind}: ${v.reason}`;
    problem(`no usable answer: ${out.reason}`, `nessuna risposta utilizzabile: "${out.reason}"`);
  }
  return out;
}

/** P19: the Tabella delle Controparti of one EC (identificativoDominio, checked by the caller rule) or of all. */
export function chiediInformativaPA(c: OldCtx, op: Operation, body: El): NodeObj {
  const d = textOf(body, 'identificativoDominio');
  const ecs = c.reg.ecs.filter((e) => e.enabled && (d === undefined || e.fiscalCode === d));
  if (!ecs.length) return koOf(op, oldFault('PPT_DOMINIO_SCONOSCIUTO', d ? `identificativoDominio ${d} is not registered` : 'no EC is registered'));
  return { xmlInformativa: informativaPA(ecs) };
}

/** P20: the PSP's own catalogue as the Nodo holds it, the rendering of nodoChiediInformativaPSP. */
export function chiediTemplateInformativaPSP(c: OldCtx, op: Operation, body: El): NodeObj {
  const a = chiediInformativaPSP(c, op, body);
  return 'xmlInformativa' in a ? { xmlTemplateInformativa: a.xmlInformativa } : a;
}
