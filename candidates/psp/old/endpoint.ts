// The reference PSP's PspPerNodo endpoint (path /PspPerNodo), old model, through the ONE SOAP endpoint
// pipeline (src/wire/soap-endpoint.ts) with the PSP's fault table (catalogue §4.3): envelope syntax
// → CANALE_SINTASSI_EXTRAXSD, a carried RPT/RR/ER against its schema → CANALE_SINTASSI_XSD, a request
// naming another PSP/broker/channel → CANALE_SEMANTICA, an exception → CANALE_SYSTEM_ERROR; faultBean.id
// is the PSP's identificativoPSP. Work that follows an answer (a negative RT, the storno ER, the
// replacing RT) is handed to `later` and starts once the answer has left.
import type { PspIds } from '../../../domain/registry.js';
import { type Rpt, erAgainstRr, fromBase64, readEr, readRpt, readRr, rptChecks, rrAgainstRt } from '../../../domain/old/index.js';
import { pspPerNodo } from '../../../interfaces/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import type { IncomingSoap, OutgoingSoap } from '../../../src/wire/http.js';
import { type FaultBean, encodeSoapFault, koFor } from '../../../src/wire/soap.js';
import { type Answer, type RequestMessage, serveSoap } from '../../../src/wire/soap-endpoint.js';
import { type El, type NodeObj, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import type { OldPspArchive, PspCart, PspRpt } from './archive.js';
import type { OldPspDefect } from './defects.js';
import type { PaymentKeys } from './nodo-client.js';
import { CART_PARAM } from './page.js';
import { CANALE_FAULTS } from '../../../domain/old/index.js';

export const PSP_PER_NODO_PATH = pspPerNodo.path;


/** What the endpoint needs of the PSP. */
export interface EndpointContext {
  ids: PspIds;
  archive: OldPspArchive;
  has(d: OldPspDefect): boolean;
  now(): number;
  /** how the PSP answers a storno: carry it out, refuse it on the merits (ER 0.00), or not offer storno at all */
  storno: 'accept' | 'refuse' | 'unsupported';
  /** an activation of this PSP is waiting for this RPT (modello 3): its CCP and amount */
  activation(k: PaymentKeys): { amount: number } | undefined;
  /** work to start once the answer has left */
  later(work: () => Promise<unknown>): void;
  /** after a refused RPT: the negative RT (OLD-PSP-ERR-10) */
  negativeRt(r: PspRpt): Promise<unknown>;
  /** after an accepted storno RR: the ER with nodoInviaEsitoStorno */
  esitoStorno(k: PaymentKeys): Promise<unknown>;
  /** the PSP's channel of payment model 2 (authorisation managed by the PSP), when it has one */
  authChannel?: string;
  /** a modello-2 cart authorised (a manleva: at once, L1529): its RTs */
  authorise(cartId: string): Promise<unknown>;
  /** after the EC's ER to the PSP's revoca: the replacing RT of an annullo tecnico */
  afterEr(k: PaymentKeys): Promise<unknown>;
}

class Refused extends Error {
  constructor(readonly code: string, description: string, readonly serial?: number) {
    super(description);
  }
}

export function servePspPerNodo(ctx: EndpointContext, req: IncomingSoap): Promise<OutgoingSoap> {
  const bean = (code: string, description: string, serial?: number): FaultBean => ({ faultCode: code, faultString: CANALE_FAULTS[code] ?? code, id: ctx.ids.idPSP, description, serial });
  return serveSoap(
    {
      interfaces: [pspPerNodo],
      name: `the reference PSP ${ctx.ids.idPSP}`,
      codes: { syntax: 'CANALE_SINTASSI_EXTRAXSD', document: 'CANALE_SINTASSI_XSD', soapAction: 'CANALE_SINTASSI_EXTRAXSD', unserved: 'CANALE_SYSTEM_ERROR', internal: 'CANALE_SYSTEM_ERROR' },
      fault: (_op, r) => bean(r.code, r.description ?? ''),
      contentType: true,
      soapAction: 'tolerate-missing',
      refuse: (u) => ({ status: 500, body: encodeSoapFault('soapenv:Client', u.kind === 'not-soap' ? `not a SOAP 1.1 envelope (${u.rule}): ${u.message}` : 'not a PspPerNodo request') }),
      // card carts need an acquirer behind the Nodo: the reference PSP does not offer them
      serves: (op) => op.name !== 'pspInviaCarrelloRPTCarte',
      check: (m) => addressedToUs(m.body, ctx.ids, ctx.authChannel),
      handle: (m) => {
        try {
          return handle(ctx, m);
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          const f = bean(e.code, e.message, e.serial);
          if (m.op.name === 'pspInviaRPT' || m.op.name === 'pspInviaCarrelloRPT') return listKo(m.op, f);
          return koFor(m.op, f);
        }
      },
    },
    req,
  );
}

const keysOf = (b: El): PaymentKeys => ({ idDominio: textOf(b, 'identificativoDominio') ?? '', iuv: textOf(b, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(b, 'codiceContestoPagamento') ?? '' });
const wrap = (op: Operation, inner: NodeObj): NodeObj => (op.result ? { [op.result]: inner } : inner);
const OK = (op: Operation): NodeObj => wrap(op, { esito: 'OK' });

function handle(ctx: EndpointContext, m: RequestMessage): Answer {
  const b = m.body;
  const a = ctx.archive;
  switch (m.op.name) {
    case 'pspInviaCarrelloRPT': {
      const modello = Number(textOf(b, 'modelloPagamento'));
      const items = childrenNamed(child(b, 'listaRPT'), 'elementoListaCarrelloRPT');
      // the channel decides the model (L1196-1201): on the modello-2 channel the cart must say 2
      const viaAuth = ctx.authChannel !== undefined && textOf(b, 'identificativoCanale') === ctx.authChannel;
      if (viaAuth && modello !== 2) throw new Refused('CANALE_SEMANTICA', `modelloPagamento ${textOf(b, 'modelloPagamento') ?? '(none)'} is not the model of channel ${ctx.authChannel} (2: authorisation managed by the PSP)`, 1);
      const rpts = items.map((e, i) => readItem(ctx, e, textOf(e, 'identificativoDominio') ?? '', i + 1, 'pspInviaCarrelloRPT', modello));
      return acceptCart(ctx, m.op, rpts, viaAuth);
    }
    case 'pspInviaRPT': {
      const idDominio = textOf(b, 'identificativoDominio') ?? '';
      const raw = textOf(b, 'modelloPagamento');
      const modello = raw === undefined ? undefined : Number(raw);
      const items = childrenNamed(b, 'elementoListaRPT');
      if (!items.length) throw new Refused('CANALE_SEMANTICA', 'pspInviaRPT carries no elementoListaRPT', 1);
      const rpts = items.map((e, i) => readItem(ctx, e, idDominio, i + 1, 'pspInviaRPT', modello));
      // modello 0/1: an immediate payment on the PSP's page, like a cart
      if (modello === 0 || modello === 1) return acceptCart(ctx, m.op, rpts);
      rpts.forEach((r, i) => afterActivation(ctx, r, i + 1));
      rpts.forEach((r) => a.keepRpt(r));
      return wrap(m.op, { esitoComplessivoOperazione: 'OK' });
    }
    case 'pspChiediListaRT': {
      if (ctx.has('old-pull-rjct-breaks-list') && a.rts.some((r) => r.state === 'rejected')) throw new Refused('CANALE_SYSTEM_ERROR', 'the PULL queue cannot be read');
      const queue = a.pullQueue();
      // a consumed message queue: what is listed once is gone, acknowledged or not
      if (ctx.has('old-pull-dequeue-on-list')) for (const r of queue) r.state = 'dropped';
      return wrap(m.op, { elementoListaRTResponse: queue.map((r) => ({ identificativoDominio: r.idDominio, identificativoUnivocoVersamento: r.iuv, codiceContestoPagamento: r.ccp })) });
    }
    case 'pspChiediRT': {
      const k = keysOf(b);
      const rt = a.rt(k);
      if (!rt) throw new Refused(a.rpt(k) ? 'CANALE_RT_NON_DISPONIBILE' : 'CANALE_RT_SCONOSCIUTA', `no RT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}${a.rpt(k) ? ' yet' : ''}`);
      if (ctx.has('old-pull-listed-not-given') && rt.state === 'pull') throw new Refused('CANALE_RT_NON_DISPONIBILE', `the RT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp} is not available`);
      if (ctx.has('old-pull-drop-on-fetch') && rt.state === 'pull') rt.state = 'dropped';
      return wrap(m.op, { rt: Buffer.from(rt.xml, 'utf8').toString('base64') });
    }
    case 'pspInviaAckRT': {
      const k = keysOf(b);
      const rt = a.rt(k);
      if (!rt) throw new Refused('CANALE_RT_SCONOSCIUTA', `no RT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
      const stato = child(child(b, 'ackRT'), 'informazioniStatoMessaggioReferenziato');
      if (textOf(stato, 'statoMessaggioReferenziato') === 'ACTC') {
        if (!ctx.has('old-pull-ack-ignored')) rt.state = 'acked';
        return OK(m.op);
      }
      if (ctx.has('old-pull-rjct-ko')) throw new Refused('CANALE_SEMANTICA', 'the RT was rejected');
      // A-12: the rejected RT leaves the PULL list (no loop of fetch and RJCT) and stays archived for the Tavolo Operativo
      rt.state = 'rejected';
      rt.reason = textOf(child(stato, 'motivazioneStatoErrato'), 'codiceErrore') ?? 'RJCT';
      return OK(m.op);
    }
    case 'pspChiediAvanzamentoRPT': {
      const k = keysOf(b);
      const r = a.rpt(k);
      if (!r) {
        if (ctx.has('old-progress-unknown-ok')) return wrap(m.op, { value: 'RPT_RICEVUTA' });
        throw new Refused('CANALE_RPT_SCONOSCIUTA', `no RPT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
      }
      if (r.progress === 'RPT_RIFIUTATA') throw new Refused('CANALE_RPT_RIFIUTATA', `the RPT ${k.iuv}/${k.ccp} was refused by the PSP`);
      return wrap(m.op, { value: progressOf(ctx, r) });
    }
    case 'pspNotificaCancellazioneRPT': {
      // A-27 reading: the Nodo tells the PSP an RPT is withdrawn; one not yet paid is no longer payable
      const k = keysOf(b);
      const r = a.rpt(k);
      if (!r) throw new Refused('CANALE_RPT_SCONOSCIUTA', `no RPT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
      if (r.progress === 'RPT_RICEVUTA') r.progress = 'RPT_ANNULLATA';
      return OK(m.op);
    }
    case 'pspInviaRichiestaStorno':
      return storno(ctx, m);
    case 'pspInviaRispostaRevoca':
      return rispostaRevoca(ctx, m);
    default:
      throw new Error(`operation ${m.op.name} is not served by the reference PSP`);
  }
}

/** pspChiediAvanzamentoRPT's value: the RT's state once there is one, else the RPT's. */
function progressOf(ctx: EndpointContext, r: PspRpt): string {
  const rt = ctx.archive.rt(r);
  if (!rt) return r.progress;
  return { pushing: 'RT_INVIATA', delivered: 'RT_CONSEGNATA', acked: 'RT_CONSEGNATA', pull: 'RT_IN_CODA_PULL', refused: 'RT_RIFIUTATA', rejected: 'RT_RIFIUTATA', dropped: 'RT_INVIATA' }[rt.state];
}

/** One element of a list: its RPT decoded and read, its keys consistent with the RPT and new (V-18). */
function readItem(ctx: EndpointContext, e: El, idDominio: string, serial: number, via: PspRpt['via'], modello: number | undefined): PspRpt {
  const k = { idDominio, iuv: textOf(e, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(e, 'codiceContestoPagamento') ?? '' };
  let rpt: Rpt;
  let xml: string;
  try {
    xml = fromBase64(textOf(e, 'rpt') ?? '', 'RPT').toString('utf8');
    rpt = readRpt(xml);
  } catch (err) {
    throw new Refused('CANALE_SEMANTICA', `RPT ${serial}: ${(err as Error).message}`, serial);
  }
  const mismatch = (
    [
      ['identificativoDominio', k.idDominio, rpt.dominio.identificativoDominio],
      ['identificativoUnivocoVersamento', k.iuv, rpt.datiVersamento.identificativoUnivocoVersamento],
      ['codiceContestoPagamento', k.ccp, rpt.datiVersamento.codiceContestoPagamento],
    ] as const
  ).find(([, given, inRpt]) => given !== inRpt);
  if (mismatch) throw new Refused('CANALE_SEMANTICA', `RPT ${serial}: ${mismatch[0]} ${mismatch[1]} differs from the RPT's ${mismatch[2]}`, serial);
  if (ctx.archive.rpt(k) && !ctx.has('old-rpt-duplicate-accepted')) throw new Refused('CANALE_RPT_DUPLICATA', `RPT ${serial}: an RPT for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp} was already received`, serial);
  // the RPT's own rules (V-09, V-10, V-11); the activation's (V-15) are checked against the activation
  const problems = ctx.has('old-rpt-invalid-accepted') ? [] : rptChecks(rpt).filter((p) => p.severity === 'error');
  if (problems.length) throw new Refused('CANALE_SEMANTICA', `RPT ${serial}: ${problems.map((p) => `${p.rule} ${p.field}: ${p.message}`).join('; ')}`.slice(0, 500), serial);
  return { ...k, rpt, xml, via, modelloPagamento: Number.isNaN(modello) ? undefined : modello, at: ctx.now(), progress: 'RPT_RICEVUTA' };
}

/**
 * An RPT the EC sent after this PSP's activation (modello 4): V-15 (tipoVersamento PO, the
 * activation's CCP), the RPT's own rules and the amount activated; a refusal is CANALE_SEMANTICA
 * and a negative RT follows (OLD-PSP-ERR-10). Without an activation of ours the RPT is refused too.
 */
function afterActivation(ctx: EndpointContext, r: PspRpt, serial: number): void {
  const act = ctx.activation(r);
  const problems = act ? rptChecks(r.rpt, { afterActivation: { codiceContestoPagamento: r.ccp } }).filter((p) => p.severity === 'error') : [];
  if (act && r.rpt.datiVersamento.importoTotaleDaVersare !== act.amount) problems.push({ rule: 'V-15', check: 'rpt.activation-ccp', field: 'datiVersamento/importoTotaleDaVersare', message: `the RPT asks ${r.rpt.datiVersamento.importoTotaleDaVersare} cents, ${act.amount} were activated`, severity: 'error' });
  const why = !act ? `no activation of this PSP waits for IUV ${r.iuv}, CCP ${r.ccp}` : ctx.has('old-rpt-invalid-accepted') ? undefined : problems.map((p) => `${p.rule} ${p.field}: ${p.message}`).join('; ') || undefined;
  if (!why) return;
  r.progress = 'RPT_RIFIUTATA';
  ctx.archive.keepRpt(r);
  if (!ctx.has('old-refused-rpt-no-rt')) ctx.later(() => ctx.negativeRt(r));
  throw new Refused('CANALE_SEMANTICA', `RPT ${serial}: ${why}`.slice(0, 500), serial);
}

/**
 * Keeps the RPTs as a cart paid on the PSP's page and answers OK with the page's parameters; on the
 * modello-2 channel (`authorise`) without them (L1502): the payer authorises at the PSP later, or at
 * once when every RPT names the account to debit under a manleva (ibanAddebito, L1529).
 */
function acceptCart(ctx: EndpointContext, op: Operation, rpts: PspRpt[], authorise = false): Answer {
  const seen = new Set<string>();
  rpts.forEach((r, i) => {
    const k = `${r.idDominio}|${r.iuv}|${r.ccp}`;
    if (seen.has(k)) throw new Refused('CANALE_RPT_DUPLICATA', `RPT ${i + 1}: the list carries ${r.iuv}/${r.ccp} twice`, i + 1);
    seen.add(k);
  });
  const id = ctx.archive.newCartId(rpts[0]!.idDominio, ctx.now());
  const manleva = rpts.every((r) => !!r.rpt.datiVersamento.ibanAddebito) && !ctx.has('old-auth-manleva-ignored');
  const cart: PspCart = { id, rpts: rpts.map((r) => ({ ...r, cartId: id })), state: 'waiting', ...(authorise ? { authorisation: manleva ? 'manleva' : 'awaited' } : {}) };
  ctx.archive.carts.set(id, cart);
  cart.rpts.forEach((r) => ctx.archive.keepRpt(r));
  if (cart.authorisation === 'manleva') ctx.later(() => ctx.authorise(id));
  const withPage = authorise ? ctx.has('old-auth-redirect-given') : !ctx.has('old-redirect-missing');
  const page = withPage ? { parametriPagamentoImmediato: `${CART_PARAM}=${encodeURIComponent(id)}` } : {};
  return wrap(op, { esitoComplessivoOperazione: 'OK', identificativoCarrello: id, ...page });
}

/** pspInviaRichiestaStorno: the EC's RR (no tipoRevoca) for a positive RT of this PSP (OLD-STO-01, OLD-STO-ERR-02). */
function storno(ctx: EndpointContext, m: RequestMessage): Answer {
  const k = keysOf(m.body);
  if (ctx.storno === 'unsupported') throw new Refused('CANALE_OPER_NON_STORNABILE', 'this PSP does not offer storno (stornoPagamento false)');
  const rr = readDoc(() => readRr(fromBase64(textOf(m.body, 'rr') ?? '', 'RR')));
  if (ctx.archive.storno(k) && !ctx.has('old-rr-duplicate-accepted')) throw new Refused('CANALE_RR_DUPLICATA', `an RR for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp} was already received`);
  const rt = ctx.archive.rt(k);
  if (!rt) throw new Refused('CANALE_RT_SCONOSCIUTA', `no RT of this PSP for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
  const problems = rrAgainstRt(rt.rt, rr, 'storno').filter((p) => p.severity === 'error');
  if (problems.length) throw new Refused('CANALE_SEMANTICA', problems.map((p) => `${p.rule} ${p.field}: ${p.message}`).join('; ').slice(0, 500));
  ctx.archive.storni.push({ ...k, rr, at: ctx.now() });
  if (!ctx.has('old-storno-no-er')) ctx.later(() => ctx.esitoStorno(k));
  return OK(m.op);
}

/** pspInviaRispostaRevoca: the EC's ER to an RR this PSP sent (OLD-REV-*, CANALE_ER_DUPLICATA / CANALE_RR_SCONOSCIUTA). */
function rispostaRevoca(ctx: EndpointContext, m: RequestMessage): Answer {
  const k = keysOf(m.body);
  const er = readDoc(() => readEr(fromBase64(textOf(m.body, 'er') ?? '', 'ER')));
  const revoca = ctx.archive.revoca(k);
  const unchecked = ctx.has('old-er-unchecked');
  if (!revoca && !unchecked) throw new Refused('CANALE_RR_SCONOSCIUTA', `this PSP sent no RR for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
  if (revoca?.er && !unchecked) throw new Refused('CANALE_ER_DUPLICATA', `the ER for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp} was already received`);
  if (revoca) {
    const problems = erAgainstRr(revoca.rr, er).filter((p) => p.severity === 'error');
    if (problems.length && !unchecked) throw new Refused('CANALE_SEMANTICA', problems.map((p) => `${p.rule} ${p.field}: ${p.message}`).join('; ').slice(0, 500));
    const first = !revoca.er;
    revoca.er = er;
    if (first) ctx.later(() => ctx.afterEr(k));
  }
  return OK(m.op);
}

function readDoc<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new Refused('CANALE_SEMANTICA', (e as Error).message.slice(0, 500));
  }
}

/** A request that names another PSP, broker or channel is not for us. */
function addressedToUs(body: El, ids: PspIds, authChannel?: string): { code: string; description: string } | undefined {
  const expected: [string, string[]][] = [['identificativoPSP', [ids.idPSP]], ['identificativoIntermediarioPSP', [ids.idBrokerPSP]], ['identificativoCanale', [ids.idChannel, ...(authChannel ? [authChannel] : [])]]];
  for (const [name, ours] of expected) {
    const given = textOf(body, name);
    if (given !== undefined && !ours.includes(given)) return { code: 'CANALE_SEMANTICA', description: `${name} ${given} is not this PSP's (${ours.join(' or ')})` };
  }
  return undefined;
}

/** A KO of a list primitive: the RPT's error at its position (pspInviaRPT's answer has no fault of its own, A-28). */
function listKo(op: Operation, f: FaultBean): NodeObj {
  const lista = { listaErroriRPT: { fault: { ...f } as unknown as NodeObj } };
  if (op.name === 'pspInviaRPT') return wrap(op, { esitoComplessivoOperazione: 'KO', ...lista });
  return wrap(op, { fault: { ...f, serial: undefined } as unknown as NodeObj, esitoComplessivoOperazione: 'KO', ...lista });
}
