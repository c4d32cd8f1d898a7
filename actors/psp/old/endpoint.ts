// The emulated PSP's PspPerNodo endpoint, old model, through the one SOAP pipeline
// (src/wire/soap-endpoint.ts): syntax → SOAPAction → the PSP's own check → handler, every refusal a
// CANALE_* fault (catalogue §4.3) whose faultBean id is the PSP's idPSP. It keeps the carts and RPTs
// the Nodo forwards (V-18: unique and consistent, else CANALE_RPT_DUPLICATA / CANALE_SEMANTICA),
// answers a cart with the payment page the Nodo sends the payer to, and keeps RR/ER that come.
import type { PspIds } from '../../../domain/registry.js';
import { type Rpt, fromBase64, readRpt } from '../../../domain/old/index.js';
import { pspPerNodo } from '../../../interfaces/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type FaultBean, koFor } from '../../../src/wire/soap.js';
import type { Answer, EndpointPolicy, Rejection, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import { type El, type NodeObj, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { CART_PARAM } from './page.js';
import type { KeptRpt, PspStore } from './store.js';
import { CANALE_FAULTS } from '../../../domain/old/index.js';


/** The operations the emulated PSP serves (the card, PULL and progress primitives are not built). */
export const SERVED = ['pspInviaCarrelloRPT', 'pspInviaRPT', 'pspInviaRichiestaStorno', 'pspInviaRispostaRevoca'] as const;

export interface PspEndpointContext {
  ids: PspIds;
  /** further channels of this PSP answered on the same endpoint (e.g. one that sells no digital stamps) */
  channels?: readonly string[];
  /** the PSP's channel of payment model 2 (authorisation managed by the PSP, L1201), if it has one */
  authChannel?: string;
  store: PspStore;
  now: () => number;
}

/** A refusal of one RPT of a list, at its position (serial, from 1). */
class RptRefused extends Error {
  constructor(readonly rejection: Rejection, readonly serial: number) {
    super(rejection.description);
  }
}

export function pspPolicy(ctx: PspEndpointContext): EndpointPolicy {
  const bean = (r: Rejection, serial?: number): FaultBean => ({
    faultCode: r.code, faultString: CANALE_FAULTS[r.code] ?? r.code, id: ctx.ids.idPSP, description: r.description, serial,
  });
  return {
    interfaces: [pspPerNodo],
    name: 'the emulated PSP',
    codes: { syntax: 'CANALE_SINTASSI_EXTRAXSD', document: 'CANALE_SINTASSI_XSD', soapAction: 'CANALE_SINTASSI_EXTRAXSD', unserved: 'CANALE_SYSTEM_ERROR', internal: 'CANALE_SYSTEM_ERROR' },
    fault: (_op, r) => bean(r),
    contentType: true,
    soapAction: 'tolerate-missing',
    serves: (op) => (SERVED as readonly string[]).includes(op.name),
    check: (m) => addressedToUs(m.body, ctx.ids, [...(ctx.channels ?? []), ...(ctx.authChannel ? [ctx.authChannel] : [])]),
    handle: (m) => {
      try {
        return handle(ctx, m, (code, description) => bean({ code, description }));
      } catch (e) {
        if (e instanceof RptRefused) return listKo(m.op, bean(e.rejection), bean(e.rejection, e.serial));
        throw e;
      }
    },
  };
}

function handle(ctx: PspEndpointContext, m: RequestMessage, bean: (code: string, description: string) => FaultBean): Answer {
  const b = m.body;
  switch (m.op.name) {
    case 'pspInviaCarrelloRPT': {
      const items = childrenNamed(child(b, 'listaRPT'), 'elementoListaCarrelloRPT').map((e) => ({ e, idDominio: textOf(e, 'identificativoDominio') ?? '' }));
      const modello = Number(textOf(b, 'modelloPagamento'));
      // the channel decides the model (L1196-1201): model 2 on the model-2 channel, model 1 on the other
      const viaAuth = ctx.authChannel !== undefined && textOf(b, 'identificativoCanale') === ctx.authChannel;
      if ((modello === 2) !== viaAuth) throw new RptRefused({ code: 'CANALE_SEMANTICA', description: `modelloPagamento ${textOf(b, 'modelloPagamento') ?? '(none)'} is not the model of channel ${textOf(b, 'identificativoCanale') ?? ''} (${viaAuth ? 2 : 1})` }, 1);
      const rpts = items.map(({ e, idDominio }, i) => readItem(ctx, e, idDominio, i + 1, 'pspInviaCarrelloRPT', modello));
      return acceptCart(ctx, m.op, rpts, viaAuth ? 'authorise' : 'page');
    }
    case 'pspInviaRPT': {
      const idDominio = textOf(b, 'identificativoDominio') ?? '';
      const modello = textOf(b, 'modelloPagamento') === undefined ? undefined : Number(textOf(b, 'modelloPagamento'));
      const rpts = childrenNamed(b, 'elementoListaRPT').map((e, i) => readItem(ctx, e, idDominio, i + 1, 'pspInviaRPT', modello));
      if (!rpts.length) throw new RptRefused({ code: 'CANALE_SEMANTICA', description: 'pspInviaRPT carries no elementoListaRPT' }, 1);
      // modello 0/1: an immediate payment with redirect, like a cart; modello 2/4: the PSP keeps the RPT and collects on its own
      return acceptCart(ctx, m.op, rpts, modello === 0 || modello === 1 ? 'page' : 'keep');
    }
    default: {
      const primitive = m.op.name as 'pspInviaRichiestaStorno' | 'pspInviaRispostaRevoca';
      const doc = primitive === 'pspInviaRichiestaStorno' ? 'rr' : 'er';
      const keys = { idDominio: textOf(b, 'identificativoDominio') ?? '', iuv: textOf(b, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(b, 'codiceContestoPagamento') ?? '' };
      // at most one RR/ER pair per concluded payment (catalogue §1.6): a second one is a duplicate (V-27, V-29)
      const seen = ctx.store.documents.some((d) => d.primitive === primitive && d.idDominio === keys.idDominio && d.iuv === keys.iuv && d.ccp === keys.ccp);
      if (seen) return koFor(m.op, bean(primitive === 'pspInviaRichiestaStorno' ? 'CANALE_RR_DUPLICATA' : 'CANALE_ER_DUPLICATA', `${doc.toUpperCase()} for ${keys.idDominio}, IUV ${keys.iuv}, CCP ${keys.ccp} already received`));
      // a scripted refusal (OLD-STO-ERR-02: CANALE_OPER_NON_STORNABILE, CANALE_RT_SCONOSCIUTA …)
      const refuse = ctx.store.takeScriptOf([keys.iuv])?.refuse;
      if (refuse) return koFor(m.op, bean(refuse.code, refuse.description ?? ''));
      ctx.store.keepDocument({ primitive, ...keys, xml: fromBase64(textOf(b, doc) ?? '', doc.toUpperCase()).toString('utf8'), at: ctx.now() });
      return wrap(m.op, { esito: 'OK' });
    }
  }
}

/** One element of a list: its RPT decoded and read, its keys consistent with the RPT and new (V-18). */
function readItem(ctx: PspEndpointContext, e: El, idDominio: string, serial: number, via: KeptRpt['via'], modello: number | undefined): KeptRpt {
  const iuv = textOf(e, 'identificativoUnivocoVersamento') ?? '';
  const ccp = textOf(e, 'codiceContestoPagamento') ?? '';
  const refuse = (code: string, description: string) => new RptRefused({ code, description: `RPT ${serial}: ${description}` }, serial);
  let rpt: Rpt;
  let xml: string;
  try {
    xml = fromBase64(textOf(e, 'rpt') ?? '', 'RPT').toString('utf8');
    rpt = readRpt(xml);
  } catch (err) {
    throw refuse('CANALE_SEMANTICA', (err as Error).message);
  }
  const mismatch = [
    ['identificativoDominio', idDominio, rpt.dominio.identificativoDominio],
    ['identificativoUnivocoVersamento', iuv, rpt.datiVersamento.identificativoUnivocoVersamento],
    ['codiceContestoPagamento', ccp, rpt.datiVersamento.codiceContestoPagamento],
  ].find(([, given, inRpt]) => given !== inRpt);
  if (mismatch) throw refuse('CANALE_SEMANTICA', `${mismatch[0]} ${mismatch[1]} differs from the RPT's ${mismatch[2]}`);
  if (ctx.store.find(idDominio, iuv, ccp)) throw refuse('CANALE_RPT_DUPLICATA', `an RPT for ${idDominio}, IUV ${iuv}, CCP ${ccp} was already received`);
  return { idDominio, iuv, ccp, rpt, xml, via, modelloPagamento: Number.isNaN(modello) ? undefined : modello, at: ctx.now() };
}

/**
 * Keeps the RPTs and answers OK, or the scripted refusal: 'page' as a cart the payer pays on the PSP's
 * page (parametriPagamentoImmediato); 'authorise' as a cart the payer authorises outside pagoPA (model
 * 2: no redirect, L1502; its RTs leave on sendPendingRts); 'keep' as RPTs the PSP collects on its own.
 */
function acceptCart(ctx: PspEndpointContext, op: Operation, rpts: KeptRpt[], mode: 'page' | 'authorise' | 'keep'): Answer {
  const dup = new Set<string>();
  rpts.forEach((r, i) => {
    const k = `${r.idDominio}|${r.iuv}|${r.ccp}`;
    if (dup.has(k)) throw new RptRefused({ code: 'CANALE_RPT_DUPLICATA', description: `RPT ${i + 1}: the list carries ${r.iuv}/${r.ccp} twice` }, i + 1);
    dup.add(k);
  });
  const script = ctx.store.takeScript(rpts.map((r) => r.iuv));
  if (script?.refuse) throw new RptRefused(script.refuse, 1);
  if (mode === 'keep') {
    rpts.forEach((r) => ctx.store.keepRpt(r));
    return wrap(op, { esitoComplessivoOperazione: 'OK' });
  }
  const id = ctx.store.newCartId(rpts[0]!.idDominio, ctx.now());
  const kept = rpts.map((r) => ({ ...r, cartId: id }));
  if (mode === 'authorise') {
    // the payer authorises with the PSP (manleva, home banking, app: L358-361); the outcome is the script's, paid by default
    const positive = script?.outcome !== 'KO';
    ctx.store.keepCart({ id, rpts: kept, state: 'deferred', script, pending: kept.map((rpt) => ({ rpt, positive })), rts: [] });
    return wrap(op, { esitoComplessivoOperazione: 'OK', identificativoCarrello: id });
  }
  ctx.store.keepCart({ id, rpts: kept, state: 'waiting', script, pending: [], rts: [] });
  return wrap(op, { esitoComplessivoOperazione: 'OK', identificativoCarrello: id, parametriPagamentoImmediato: `${CART_PARAM}=${encodeURIComponent(id)}` });
}

/** A request that names another PSP, broker or channel is not for us. */
function addressedToUs(body: El, ids: PspIds, channels: readonly string[]): Rejection | undefined {
  const expected: [string, string[]][] = [['identificativoPSP', [ids.idPSP]], ['identificativoIntermediarioPSP', [ids.idBrokerPSP]], ['identificativoCanale', [ids.idChannel, ...channels]]];
  for (const [name, ours] of expected) {
    const given = textOf(body, name);
    if (given !== undefined && !ours.includes(given)) return { code: 'CANALE_SEMANTICA', description: `${name} ${given} is not this PSP's (${ours.join(', ')})` };
  }
  return undefined;
}

/** The response content, inside the element the old model's responses wrap. */
function wrap(op: Operation, inner: NodeObj): NodeObj {
  return op.result ? { [op.result]: inner } : inner;
}

/** A KO of a list primitive: the fault (where the response has one), the outcome, the RPT's error at its position. */
function listKo(op: Operation, top: FaultBean, item: FaultBean): NodeObj {
  const lista = { listaErroriRPT: { fault: item as unknown as NodeObj } };
  // pspInviaRPT's answer has no fault of its own: the errors are only in listaErroriRPT
  if (op.name === 'pspInviaRPT') return wrap(op, { esitoComplessivoOperazione: 'KO', ...lista });
  return wrap(op, { fault: top as unknown as NodeObj, esitoComplessivoOperazione: 'KO', ...lista });
}
