// NodoPerPa flows the EC starts: nodoInviaRPT (model 0, or the RPT after nodoAttivaRPT: model 4,
// forwarded with pspInviaRPT to the PSP that activated) and nodoInviaCarrelloRPT (1..5 RPTs, checked
// as a whole; on OK the WISP URL with idSession). Catalogue §2.2, §2.3, OLD-EC-PAY-01/06, OLD-EC-ERR-03.
import { WISP_PSP } from '../../../domain/registry.js';
import { multiBeneficiaryCartIdProblem } from '../../../domain/old/index.js';
import type { Operation, Rejection } from '../../../src/wire/contract.js';
import type { FaultBean } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { type OldCtx, koOf, okOf, stationOf } from './context.js';
import { DocumentUnreadable, type RptView, readRptView, toBase64 } from './docs.js';
import { oldFault, relayCanale } from './faults.js';
import { rptProblems } from './rpt-checks.js';
import { type PspRef, type RptRecord, rptKey } from './store.js';

const fault = (r: Rejection, serial?: number): FaultBean => oldFault(r.code, r.description, serial);

function pspOf(body: El): PspRef {
  return { idPSP: textOf(body, 'identificativoPSP') ?? '', idBrokerPSP: textOf(body, 'identificativoIntermediarioPSP') ?? '', idChannel: textOf(body, 'identificativoCanale') ?? '' };
}
const isWisp = (p: PspRef) => p.idPSP === WISP_PSP.idPSP && p.idBrokerPSP === WISP_PSP.idBrokerPSP && p.idChannel === WISP_PSP.idChannel;

function readRpt(base64: string | undefined): RptView | Rejection {
  try {
    return readRptView(base64);
  } catch (e) {
    if (e instanceof DocumentUnreadable) return { code: 'PPT_SINTASSI_XSD', description: e.message };
    throw e;
  }
}

/** The WISP page of a session. */
export function wispUrl(c: OldCtx, idSession: string): string {
  return `${c.base()}/wisp?idSession=${encodeURIComponent(idSession)}`;
}

export async function nodoInviaRPT(c: OldCtx, op: Operation, header: El | undefined, body: El): Promise<NodeObj> {
  const keys = { idDominio: textOf(header, 'identificativoDominio') ?? '', iuv: textOf(header, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(header, 'codiceContestoPagamento') ?? '' };
  const idStation = textOf(header, 'identificativoStazioneIntermediarioPA') ?? '';
  const rpt = readRpt(textOf(body, 'rpt'));
  if ('code' in rpt) return koOf(op, fault(rpt));
  const psp = pspOf(body);
  const activation = c.store.activation(rptKey(keys.idDominio, keys.iuv, keys.ccp));
  const open = activation && !activation.rptKey ? activation : undefined;
  const problems = rptProblems(rpt, keys, c.reg, c.store, open ? { ccp: open.ccp } : undefined);
  // V-15: the RPT after paaAttivaRPT names the PSP that activated (tipoVersamento PO: rptChecks)
  if (activation && !activation.rptKey) {
    if (psp.idPSP !== activation.psp.idPSP) problems.push({ code: 'PPT_SEMANTICA', description: `V-15: identificativoPSP ${psp.idPSP} differs from the PSP that activated the payment (${activation.psp.idPSP})` });
    if (rpt.totalCents !== activation.importoCents) problems.push({ code: 'PPT_SEMANTICA', description: `importoTotaleDaVersare differs from the amount of the activation` });
  } else if (rpt.tipoVersamento === 'PO') {
    problems.push({ code: 'PPT_SEMANTICA', description: `tipoVersamento PO: no activation (nodoAttivaRPT) is open for ${keys.idDominio}/${keys.iuv}/${keys.ccp}` });
  }
  const station = stationOf(c, idStation)!;
  const base = { ...keys, idStation, idBrokerPA: station.idBrokerPA, position: 1, rpt, redirect: 0 as const };
  if (problems.length) {
    c.store.add({ ...base, modello: activation ? 4 : 0, psp }, 'RPT_RIFIUTATA_NODO', `nodoInviaRPT refused: ${problems[0]!.code}`);
    return koOf(op, fault(problems[0]!));
  }
  if (activation) {
    const rec = c.store.add({ ...base, modello: 4, psp: activation.psp }, 'RPT_ACCETTATA_NODO', 'RPT received after nodoAttivaRPT');
    c.store.fulfil(activation, rec);
    // the Nodo answers the EC, then forwards the RPT to the PSP (L1751-1753)
    void forwardRpt(c, rec, 4, { ...activation.psp, idChannel: activation.paying.idChannel || activation.psp.idChannel });
    return okOf(op, { redirect: 0 });
  }
  if (isWisp(psp)) {
    // the payer chooses the PSP on WISP: a cart of one RPT (A-05 reading)
    const idCarrello = `${keys.idDominio}${keys.iuv}`.slice(0, 35);
    const rec = c.store.add({ ...base, modello: 0, psp, idCarrello }, 'RPT_ACCETTATA_NODO', 'RPT accepted, payer sent to WISP');
    const cart = c.store.addCart({ idCarrello, idDominio: keys.idDominio, idStation, keys: [rec.key], totalCents: rpt.totalCents, multiBeneficiario: false });
    const url = wispUrl(c, cart.idSession);
    Object.assign(rec, { redirect: 1, url });
    return okOf(op, { redirect: 1, url });
  }
  // model 0 with the PSP named: the RPT goes to the PSP at once, its page is the redirect
  const rec = c.store.add({ ...base, modello: 0, psp }, 'RPT_ACCETTATA_NODO', 'RPT accepted');
  const sent = await forwardRpt(c, rec, 0, psp);
  if ('faultCode' in sent) return koOf(op, sent);
  Object.assign(rec, sent);
  return okOf(op, sent.redirect ? { redirect: 1, url: sent.url } : { redirect: 0 });
}

/**
 * pspInviaRPT to the PSP's channel: model 0 (the PSP's page is the redirect) or model 4 (after an
 * activation). The PSP's answer moves the RPT (accepted / refused / not delivered).
 */
export async function forwardRpt(c: OldCtx, rec: RptRecord, modello: 0 | 4, to: PspRef): Promise<{ redirect: 0 | 1; url?: string } | FaultBean> {
  const channel = c.reg.channels.find((x) => x.idChannel === to.idChannel);
  if (!channel) {
    c.store.move(rec, 'RPT_ERRORE_INVIO_A_PSP', `channel ${to.idChannel} is not registered`);
    return oldFault('PPT_CANALE_NONRISOLVIBILE', `channel ${to.idChannel} is not registered`);
  }
  c.store.move(rec, 'RPT_INVIATA_A_PSP', `pspInviaRPT to ${to.idPSP} (channel ${to.idChannel})`);
  const content: NodeObj = {
    identificativoDominio: rec.idDominio,
    identificativoPSP: to.idPSP,
    identificativoIntermediarioPSP: to.idBrokerPSP,
    identificativoCanale: to.idChannel,
    modelloPagamento: modello,
    elementoListaRPT: { identificativoUnivocoVersamento: rec.iuv, codiceContestoPagamento: rec.ccp, tipoFirma: '', rpt: toBase64(rec.rpt.xml) },
  };
  const { verdict: v } = await c.calls.psp('pspInviaRPT', channel, content, { corr: { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp }, timeoutMs: c.timeouts.psp });
  // model 4 has no payer to send anywhere: parametriPagamentoImmediato, if given, are not used (TR-42)
  return pspOutcome(c, [rec], v, channel.redirectUrl, to.idPSP, modello === 0);
}

/** What a pspInviaRPT / pspInviaCarrelloRPT answer does to the RPTs; the redirect for the payer. */
export function pspOutcome(c: OldCtx, recs: RptRecord[], v: Awaited<ReturnType<OldCtx['calls']['psp']>>['verdict'], redirectBase: string | undefined, idPSP: string, redirects = true): { redirect: 0 | 1; url?: string } | FaultBean {
  const fail = (stato: 'RPT_RIFIUTATA_PSP' | 'RPT_ERRORE_INVIO_A_PSP', f: FaultBean) => {
    // the PSP's own code stays in the history (CANALE_RPT_DUPLICATA, CANALE_SEMANTICA …: OLD-PSP-ERR-09/10)
    for (const r of recs) c.store.move(r, stato, `${f.faultCode}${f.originalFaultCode ? ` (${f.originalFaultCode})` : ''}${f.description ? `: ${f.description}` : ''}`);
    return f;
  };
  switch (v.kind) {
    case 'ko':
      return fail('RPT_RIFIUTATA_PSP', c.defects.has('relay-as-nodo') ? oldFault('PPT_CANALE_ERRORE', v.fault.description) : relayCanale(idPSP, v.fault));
    case 'timeout':
      return fail('RPT_ERRORE_INVIO_A_PSP', oldFault('PPT_CANALE_TIMEOUT', v.reason));
    case 'unreachable':
      return fail('RPT_ERRORE_INVIO_A_PSP', oldFault('PPT_CANALE_IRRAGGIUNGIBILE', v.reason));
    case 'invalid':
      return fail('RPT_ERRORE_INVIO_A_PSP', oldFault('PPT_CANALE_ERRORE_RESPONSE', v.reason));
  }
  const params = redirects ? textOf(v.body, 'parametriPagamentoImmediato') : undefined;
  for (const r of recs) c.store.move(r, 'RPT_ACCETTATA_PSP', 'the PSP accepted the RPT');
  if (params === undefined || params === '') return { redirect: 0 };
  // the parameters go on the channel's redirect URL as a query string (PPT_CANALE_ERR_PARAM_PAG_IMM otherwise)
  if (!redirectBase || !/^[\w.~%-]+=[^&\s]*(&[\w.~%-]+=[^&\s]*)*$/.test(params)) {
    const f = oldFault('PPT_CANALE_ERR_PARAM_PAG_IMM', !redirectBase ? 'the channel has no redirect URL configured' : `parametriPagamentoImmediato "${params.slice(0, 80)}" is not a query string (name=value&…)`);
    for (const r of recs) c.store.move(r, 'RPT_ERRORE_INVIO_A_PSP', `${f.faultCode}: ${f.description}`);
    return f;
  }
  return { redirect: 1, url: `${redirectBase}${redirectBase.includes('?') ? '&' : '?'}${params}` };
}

export function nodoInviaCarrelloRPT(c: OldCtx, op: Operation, header: El | undefined, body: El): NodeObj {
  const idCarrello = textOf(header, 'identificativoCarrello') ?? '';
  const idStation = textOf(header, 'identificativoStazioneIntermediarioPA') ?? '';
  const station = stationOf(c, idStation)!;
  if (!c.defects.has('no-cart-id-check') && c.store.cart(idCarrello)) return koOf(op, oldFault('PPT_ID_CARRELLO_DUPLICATO', `identificativoCarrello ${idCarrello} was already used (V-08)`));
  const psp = pspOf(body);
  const elements = childrenNamed(child(body, 'listaRPT'), 'elementoListaRPT');
  const errors: FaultBean[] = [];
  const views: { keys: { idDominio: string; iuv: string; ccp: string }; rpt: RptView }[] = [];
  const seen = new Set<string>();
  for (const [i, e] of elements.entries()) {
    const keys = { idDominio: textOf(e, 'identificativoDominio') ?? '', iuv: textOf(e, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(e, 'codiceContestoPagamento') ?? '' };
    const rpt = readRpt(textOf(e, 'rpt'));
    if ('code' in rpt) {
      errors.push(fault(rpt, i + 1));
      continue;
    }
    const problems = rptProblems(rpt, keys, c.reg, c.store);
    const k = rptKey(keys.idDominio, keys.iuv, keys.ccp);
    if (seen.has(k)) problems.unshift({ code: 'PPT_RPT_DUPLICATA', description: `the cart holds ${keys.idDominio}/${keys.iuv}/${keys.ccp} twice` });
    seen.add(k);
    if (rpt.tipoVersamento === 'PO') problems.push({ code: 'PPT_SEMANTICA', description: 'tipoVersamento PO is for an RPT after nodoAttivaRPT (nodoInviaRPT), not for a cart' });
    // serial = the RPT's position in the cart (L947)
    for (const p of problems) errors.push(fault(p, i + 1));
    views.push({ keys, rpt });
  }
  const base = { idStation, idBrokerPA: station.idBrokerPA, psp, idCarrello, redirect: 0 as const };
  const multiBeneficiario = textOf(body, 'multiBeneficiario') === 'true';
  // V-08: a multi-beneficiary cart's id has the WSDL's prescribed form (the format is V-08's, its code PPT_ID_CARRELLO_DUPLICATO, Tabella 2 L1587)
  const idProblem = multiBeneficiario && !errors.length ? multiBeneficiaryCartIdProblem(idCarrello, views.map((v) => v.keys)) : undefined;
  if (errors.length || idProblem) {
    // A-32 reading: an error in any RPT rejects the whole cart (RPT Rifiutata for each RPT)
    for (const [i, v] of views.entries()) c.store.add({ ...base, ...v.keys, modello: 1, position: i + 1, rpt: v.rpt }, 'RPT_RIFIUTATA_NODO', 'cart refused');
    // the cart's id is no RPT's error: a fault of the cart, without listaErroriRPT
    if (idProblem) return koOf(op, oldFault('PPT_ID_CARRELLO_DUPLICATO', `V-08 ${idProblem}`));
    return { ...koOf(op, errors[0]!), listaErroriRPT: { fault: errors.map(faultContent) } };
  }
  const recs = views.map((v, i) => c.store.add({ ...base, ...v.keys, modello: 1, position: i + 1, rpt: v.rpt }, 'RPT_ACCETTATA_NODO', 'cart accepted'));
  const cart = c.store.addCart({
    idCarrello, idDominio: views[0]!.keys.idDominio, idStation, keys: recs.map((r) => r.key), totalCents: views.reduce((a, v) => a + v.rpt.totalCents, 0),
    multiBeneficiario, codiceConvenzione: textOf(body, 'codiceConvenzione'),
  });
  if (!isWisp(psp)) cart.chosen = psp;
  const url = wispUrl(c, cart.idSession);
  for (const r of recs) Object.assign(r, { redirect: 1, url });
  return { esitoComplessivoOperazione: 'OK', url };
}

function faultContent(f: FaultBean): NodeObj {
  return { faultCode: f.faultCode, faultString: f.faultString, id: f.id, description: f.description, serial: f.serial };
}
