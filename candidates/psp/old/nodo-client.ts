// The reference PSP's calls to the Nodo's NodoPerPsp, old model: nodoVerificaRPT / nodoAttivaRPT
// (modello 3), nodoInviaRT, nodoInviaRichiestaRevoca, nodoInviaEsitoStorno; and NodoPerPspRichiestaAvvisi's
// nodoChiediCatalogoServizi / nodoChiediNumeroAvviso (spontaneous payments); the informative queries
// nodoChiediInformativaPA / nodoChiediTemplateInformativaPSP. Each request is checked
// against our schema before it leaves (a request the PSP cannot build validly is a bug, never sent)
// and its answer read as data: usable or not, esito, the faultBean with its original* fields.
import type { Clock } from '../../../src/core/clock.js';
import type { PspIds } from '../../../domain/registry.js';
import { type Cents, formatAmount, parseAmount } from '../../../domain/common.js';
import { OLD_DEFAULT_TIMEOUTS } from '../../../domain/timeouts.js';
import { CODIFICA_INFRASTRUTTURA, codiceIdRpt, toBase64 } from '../../../domain/old/index.js';
import { nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../../../interfaces/index.js';
import { DOCUMENT_NS } from '../../../interfaces/old/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { soapCall } from '../../../src/wire/http.js';
import { answerOfCall, isUsable } from '../../../src/wire/answer.js';
import { type FaultBean, decodeEnvelope, encodeEnvelope, resultOf } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child, childrenNamed, elOfDocument, textOf } from '../../../src/wire/xml.js';

/** Where the PSP reaches the Nodo. */
export interface NodoLink {
  /** the Nodo's NodoPerPsp endpoint */
  nodoPerPspUrl: string;
  /** where the payer goes back to the Nodo after the payment page (I03; configuration, no message names it) */
  returnUrl: string;
  /** the Nodo's NodoPerPspRichiestaAvvisi endpoint (spontaneous payments) */
  richiestaAvvisiUrl: string;
}

/** One NodoPerPsp call as the PSP read it. */
export interface NodoReply {
  /** a schema-valid response of the operation came back in time (HTTP 200) */
  usable: boolean;
  esito?: string;
  fault?: FaultBean;
  body?: El;
  /** what went wrong when not usable (timeout, reset, an HTML page …) */
  problem?: string;
  /** the request envelope as sent */
  sent: string;
  /** datiPagamentoPA's amount (verify / activate / nodoChiediNumeroAvviso), in cents */
  importo?: Cents;
}

/** One service of the Nodo's Catalogo dei Servizi. */
export interface CatalogueEntry {
  idServizio: string;
  idDominioErogatoreServizio: string;
}

export interface Notice {
  fiscalCode: string;
  noticeNumber: string;
}

export interface PaymentKeys {
  idDominio: string;
  iuv: string;
  ccp: string;
}

/**
 * The PSP's wait for the Nodo: the Nodo's own wait for the EC behind the call (an RT: the delivery
 * timeout; verify/activate: the query timeout), plus the platform's Nodo–PSP time.
 */
export function nodoCallTimeoutMs(primitive: string): number {
  const behind = primitive === 'nodoInviaRT' ? OLD_DEFAULT_TIMEOUTS.paaInviaRT : primitive === 'nodoAttivaRPT' ? OLD_DEFAULT_TIMEOUTS.paaAttivaRPT : primitive === 'nodoVerificaRPT' || primitive === 'nodoChiediNumeroAvviso' ? OLD_DEFAULT_TIMEOUTS.paaVerificaRPT : OLD_DEFAULT_TIMEOUTS.paaRevocaStorno;
  return behind + OLD_DEFAULT_TIMEOUTS.psp;
}

const AVVISI_OPS: readonly Operation[] = nodoPerPspRichiestaAvvisi.operations;
const op = (name: string): Operation => {
  const o = [...nodoPerPsp.operations, ...AVVISI_OPS].find((x) => x.name === name);
  if (!o) throw new Error(`NodoPerPsp and NodoPerPspRichiestaAvvisi have no operation ${name}`);
  return o;
};

export class OldNodoClient {
  link?: NodoLink;

  constructor(private readonly o: { clock: Clock; ids: () => PspIds; realCapMs?: number }) {}

  private caller(): NodeObj {
    const ids = this.o.ids();
    return { identificativoPSP: ids.idPSP, identificativoIntermediarioPSP: ids.idBrokerPSP, identificativoCanale: ids.idChannel, password: ids.password };
  }

  verify(notice: Notice, ccp: string): Promise<NodoReply> {
    return this.call('nodoVerificaRPT', { ...this.caller(), codiceContestoPagamento: ccp, codificaInfrastrutturaPSP: CODIFICA_INFRASTRUTTURA.QrCode, codiceIdRPT: this.qrCode(notice) });
  }

  activate(notice: Notice, amount: Cents, ccp: string): Promise<NodoReply> {
    const ids = this.o.ids();
    return this.call('nodoAttivaRPT', {
      ...this.caller(),
      codiceContestoPagamento: ccp,
      identificativoIntermediarioPSPPagamento: ids.idBrokerPSP,
      identificativoCanalePagamento: ids.idChannel,
      codificaInfrastrutturaPSP: CODIFICA_INFRASTRUTTURA.QrCode,
      codiceIdRPT: this.qrCode(notice),
      datiPagamentoPSP: { importoSingoloVersamento: formatAmount(amount) },
    });
  }

  /** nodoInviaRT of an RT's XML (TR-37: no signature, tipoFirma absent); forzaControlloSegno 1 replaces a revoked RT (L2520). */
  sendRt(keys: PaymentKeys, rtXml: string, forzaControlloSegno?: 1): Promise<NodoReply> {
    const ids = this.o.ids();
    return this.call('nodoInviaRT', {
      identificativoIntermediarioPSP: ids.idBrokerPSP,
      identificativoCanale: ids.idChannel,
      password: ids.password,
      identificativoPSP: ids.idPSP,
      identificativoDominio: keys.idDominio,
      identificativoUnivocoVersamento: keys.iuv,
      codiceContestoPagamento: keys.ccp,
      forzaControlloSegno,
      rt: toBase64(rtXml),
    });
  }

  requestRevoca(keys: PaymentKeys, rrXml: string): Promise<NodoReply> {
    return this.call('nodoInviaRichiestaRevoca', { ...this.caller(), ...chiave(keys), rr: toBase64(rrXml) });
  }

  sendEsitoStorno(keys: PaymentKeys, erXml: string): Promise<NodoReply> {
    return this.call('nodoInviaEsitoStorno', { ...this.caller(), ...chiave(keys), er: toBase64(erXml) });
  }

  /** nodoChiediCatalogoServizi (L2234-2250): the services of one EC (or every EC's); the catalogue read from xmlCatalogoServizi (undefined: none readable). */
  async catalogoServizi(idDominio?: string): Promise<NodoReply & { services?: CatalogueEntry[] }> {
    const r = await this.call('nodoChiediCatalogoServizi', { ...this.caller(), identificativoDominio: idDominio });
    const b64 = r.body ? textOf(resultOf(r.body, op('nodoChiediCatalogoServizi')), 'xmlCatalogoServizi') : undefined;
    return { ...r, services: b64 === undefined ? undefined : readCatalogue(b64) };
  }

  /** nodoChiediNumeroAvviso: a notice for a service, given its data (base64); the notice and datiPagamentoPA's amount read from the answer. */
  async chiediNumeroAvviso(idServizio: string, idDominioErogatoreServizio: string, datiB64: string): Promise<NodoReply & { notice?: Notice }> {
    const r = await this.call('nodoChiediNumeroAvviso', { ...this.caller(), idServizio, idDominioErogatoreServizio, datiSpecificiServizio: datiB64 });
    const res = r.body ? resultOf(r.body, op('nodoChiediNumeroAvviso')) : undefined;
    const n = child(res, 'numeroAvviso');
    const iuv = textOf(n, 'IUV');
    const fiscalCode = textOf(res, 'identificativoDominio') ?? idDominioErogatoreServizio;
    const notice = n && iuv ? { fiscalCode, noticeNumber: `${textOf(n, 'auxDigit') ?? ''}${textOf(n, 'applicationCode') ?? ''}${iuv}` } : undefined;
    return { ...r, notice };
  }

  /** nodoChiediInformativaPA (P19, L2271-2284): the Tabella delle Controparti of one EC, or of every EC (xmlInformativa, base64). */
  informativaPA(idDominio?: string): Promise<NodoReply> {
    return this.call('nodoChiediInformativaPA', { ...this.caller(), identificativoDominio: idDominio });
  }

  /** nodoChiediTemplateInformativaPSP (P20, L2252-2270): the PSP's own catalogue as the Nodo holds it, or the template (xmlTemplateInformativa). */
  templateInformativaPSP(): Promise<NodoReply> {
    return this.call('nodoChiediTemplateInformativaPSP', this.caller());
  }

  /** codiceIdRPT in QrCode form, qualified with the prefix NodoPerPsp declares for its namespace. */
  private qrCode(n: Notice): NodeObj {
    const c = codiceIdRpt(n.fiscalCode, n.noticeNumber) as { CF?: string; CodStazPA?: string; AuxDigit: string; CodIUV: string };
    const prefix = Object.entries(nodoPerPsp.namespaces).find(([, uri]) => uri === DOCUMENT_NS.qrc)?.[0];
    if (!prefix) throw new Error('NodoPerPsp declares no prefix for the QrCode namespace');
    const q = (x: string) => `${prefix}:${x}`;
    return { [q('QrCode')]: { [q('CF')]: c.CF, [q('CodStazPA')]: c.CodStazPA, [q('AuxDigit')]: c.AuxDigit, [q('CodIUV')]: c.CodIUV } };
  }

  private async call(primitive: string, content: NodeObj): Promise<NodoReply> {
    const link = this.link;
    if (!link) throw new Error(`${primitive}: the PSP does not know the Nodo yet (useNodo)`);
    const o = op(primitive);
    const sent = encodeEnvelope(o, 'request', content);
    const check = decodeEnvelope(sent, { ops: [o] });
    if (!check.ok || !check.msg.xsd.valid) throw new Error(`${primitive}: the PSP built an invalid request: ${check.ok ? check.msg.xsd.errors.slice(0, 2).join('; ') : check.message}`);
    const result = await soapCall({
      url: AVVISI_OPS.includes(o) ? link.richiestaAvvisiUrl : link.nodoPerPspUrl, op: o, envelope: sent, soapAction: o.soapAction, from: 'psp', to: 'nodo',
      timeoutMs: nodoCallTimeoutMs(primitive), clock: this.o.clock, realCapMs: this.o.realCapMs,
      headers: { 'x-collaudo-from': 'psp' },
    });
    const a = answerOfCall(result);
    if (!isUsable(a) || a.op !== o) return { usable: false, sent, problem: a.problem ?? `not a valid ${o.response}` };
    const dati = child(resultOf(a.body!, o), 'datiPagamentoPA');
    return { usable: true, sent, body: a.body, esito: a.outcome, fault: a.fault, importo: dati ? parseAmount(textOf(dati, 'importoSingoloVersamento')) : undefined };
  }
}

/** The services of a Catalogo dei Servizi (base64 XML, validated by the codec); undefined when it cannot be read. */
function readCatalogue(b64: string): CatalogueEntry[] | undefined {
  const root = elOfDocument(Buffer.from(b64, 'base64'));
  return root && childrenNamed(root, 'servizio').map((x) => ({ idServizio: textOf(x, 'idServizio') ?? '', idDominioErogatoreServizio: textOf(x, 'idDominioErogatoreServizio') ?? '' }));
}

const chiave = (k: PaymentKeys): NodeObj => ({ identificativoDominio: k.idDominio, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
