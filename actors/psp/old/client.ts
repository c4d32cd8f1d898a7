// The emulated PSP's calls to the Nodo (NodoPerPsp), old model: nodoVerificaRPT and nodoAttivaRPT
// for a payment started at the PSP (modello 3, OLD-PSP-PAY-01..04, OLD-PSP-ERR-02..07) and
// nodoInviaRT for every RT; nodoChiediCatalogoServizi and nodoChiediNumeroAvviso for a spontaneous
// payment (OLD-PSP-PAY-05: the notice they give is then paid as modello 3). Each request is validated against our schema before it leaves (an
// invalid one is never sent: InvalidRequest, the scenario is INCONCLUSIVE), journaled from 'psp' to
// 'nodo', and its answer read as data (esito, the faultBean with its original* fields, datiPagamentoPA).
import type { Clock } from '../../../src/core/clock.js';
import type { Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import type { PspIds } from '../../../domain/registry.js';
import { type Cents, formatAmount, parseAmount } from '../../../domain/common.js';
import { DEFAULT_TIMEOUTS, NODO_TO_PSP_MS } from '../../../domain/timeouts.js';
import { CODIFICA_INFRASTRUTTURA, type CodiceIdRpt, type Er, type Rr, type Rt, codiceIdRpt, erXml, rrXml, rtXml, toBase64 } from '../../../domain/old/index.js';
import { nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../../../interfaces/index.js';
import { DOCUMENT_NS } from '../../../interfaces/old/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type CallResult, type TlsClientOptions, soapCall } from '../../../src/wire/http.js';
import { type Answer, answerOfCall } from '../../../src/wire/answer.js';
import { type FaultBean, encodeEnvelope, resultOf } from '../../../src/wire/soap.js';
import { InvalidRequest, assertValidRequest } from '../../../src/wire/valid-request.js';
import { type NodeObj, child, childrenNamed, parseDocument, textOf, toEl } from '../../../src/wire/xml.js';

/** What the Nodo's datiPagamentoPA says (verify / activate), amounts in cents. */
export interface DatiPagamentoPA {
  importoSingoloVersamento?: Cents;
  ibanAccredito?: string;
  bicAccredito?: string;
  denominazioneBeneficiario?: string;
  credenzialiPagatore?: string;
  causaleVersamento?: string;
}

/** One NodoPerPsp call: the answer as read, the esito and faultBean of the old model's answer, what was sent. */
export interface NodoCall extends Answer {
  result: CallResult;
  /** the request envelope as sent */
  sent: string;
  esito?: string;
  /** the faultBean of the answer (with originalFaultCode … when the Nodo relays an EC's fault) */
  fault?: FaultBean;
  datiPagamentoPA?: DatiPagamentoPA;
}

/** A notice as the PSP reads it (QR code: the EC's fiscal code and the notice number). */
export interface Notice {
  fiscalCode: string;
  noticeNumber: string;
}

/** A service of the Catalogo dei Servizi, as the PSP reads it. */
export interface CatalogueService {
  idServizio: string;
  idDominioErogatoreServizio: string;
  denominazioneErogatore?: string;
  descrizioneServizio?: string;
}

export interface NodoClientOptions {
  clock: Clock;
  /** the Nodo's NodoPerPsp endpoint */
  nodoUrl: string;
  /** the Nodo's NodoPerPspRichiestaAvvisi endpoint (default: beside nodoUrl) */
  avvisiUrl?: string;
  ids: PspIds;
  journal: () => Journal | undefined;
  faults: () => Faults | undefined;
  tls?: TlsClientOptions;
  headers?: Record<string, string>;
}

export interface AttivaOptions {
  /** datiPagamentoPSP beyond the amount (ibanAppoggio, soggettoVersante …), in the schema's order */
  datiPagamentoPSP?: NodeObj;
  /** default: the same channel */
  idBrokerPSPPagamento?: string;
  idChannelPagamento?: string;
}

/** The keys of one payment: the EC, the IUV and the CCP. */
export interface PaymentKeys {
  idDominio: string;
  iuv: string;
  ccp: string;
}

const chiave = (k: PaymentKeys): NodeObj => ({ identificativoDominio: k.idDominio, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });

export interface InviaRtOptions {
  tipoFirma?: string;
  /** 1: overwrite a revoked RT after an annullo tecnico (L2520) */
  forzaControlloSegno?: 0 | 1;
}

const op = (name: string): Operation => {
  const o = [...nodoPerPsp.operations, ...nodoPerPspRichiestaAvvisi.operations].find((x) => x.name === name);
  if (!o) throw new Error(`NodoPerPsp and NodoPerPspRichiestaAvvisi have no operation ${name}`);
  return o;
};

/**
 * The PSP's wait for the Nodo: the Nodo's own wait for the EC behind the call (verify/activate: the
 * EC's query timeout; an RT: its delivery timeout), plus the time the platform grants between Nodo and PSP.
 */
export function nodoCallTimeoutMs(primitive: string): number {
  return (primitive === 'nodoInviaRT' ? DEFAULT_TIMEOUTS.paSendRT : DEFAULT_TIMEOUTS.paVerifyPaymentNotice) + NODO_TO_PSP_MS;
}

export class NodoClient {
  constructor(private readonly o: NodoClientOptions) {}

  /** nodoVerificaRPT for a notice (its codiceIdRPT in QrCode form, codificaInfrastrutturaPSP QR-CODE). */
  async verify(notice: Notice, ccp: string): Promise<NodoCall> {
    return this.call('nodoVerificaRPT', {
      ...this.caller(),
      codiceContestoPagamento: ccp,
      codificaInfrastrutturaPSP: CODIFICA_INFRASTRUTTURA.QrCode,
      codiceIdRPT: this.qrCode('nodoVerificaRPT', notice),
    });
  }

  /** nodoAttivaRPT: the activation, with the amount the PSP will collect. */
  async activate(notice: Notice, amountCents: Cents, ccp: string, opts: AttivaOptions = {}): Promise<NodoCall> {
    return this.call('nodoAttivaRPT', {
      ...this.caller(),
      codiceContestoPagamento: ccp,
      identificativoIntermediarioPSPPagamento: opts.idBrokerPSPPagamento ?? this.o.ids.idBrokerPSP,
      identificativoCanalePagamento: opts.idChannelPagamento ?? this.o.ids.idChannel,
      codificaInfrastrutturaPSP: CODIFICA_INFRASTRUTTURA.QrCode,
      codiceIdRPT: this.qrCode('nodoAttivaRPT', notice),
      datiPagamentoPSP: { importoSingoloVersamento: wireAmount(amountCents), ...(opts.datiPagamentoPSP ?? {}) },
    });
  }

  /** nodoInviaRT: an RT (a document, or its XML as is) for the payment these keys name. */
  async sendRt(keys: PaymentKeys, rt: Rt | string, opts: InviaRtOptions = {}): Promise<NodoCall> {
    const xml = typeof rt === 'string' ? rt : rtXml(rt);
    return this.call('nodoInviaRT', {
      identificativoIntermediarioPSP: this.o.ids.idBrokerPSP,
      identificativoCanale: this.o.ids.idChannel,
      password: this.o.ids.password,
      identificativoPSP: this.o.ids.idPSP,
      identificativoDominio: keys.idDominio,
      identificativoUnivocoVersamento: keys.iuv,
      codiceContestoPagamento: keys.ccp,
      tipoFirma: opts.tipoFirma,
      forzaControlloSegno: opts.forzaControlloSegno,
      rt: toBase64(xml),
    });
  }

  /** nodoInviaRichiestaRevoca: the PSP's RR (annullo tecnico, tipoRevoca 1; charge-back, 2) for a payment (OLD-REV-*). */
  async requestRevoca(keys: PaymentKeys, rr: Rr | string): Promise<NodoCall> {
    return this.call('nodoInviaRichiestaRevoca', { ...this.caller(), ...chiave(keys), rr: toBase64(typeof rr === 'string' ? rr : rrXml(rr)) });
  }

  /** nodoInviaEsitoStorno: the PSP's ER answering an EC's storno (OLD-STO-*). */
  async sendEsitoStorno(keys: PaymentKeys, er: Er | string): Promise<NodoCall> {
    return this.call('nodoInviaEsitoStorno', { ...this.caller(), ...chiave(keys), er: toBase64(typeof er === 'string' ? er : erXml(er)) });
  }

  /** nodoChiediCatalogoServizi (L2234-2250): the services of every EC, or of one; the catalogue read from xmlCatalogoServizi. */
  async catalogoServizi(idDominio?: string): Promise<NodoCall & { services?: CatalogueService[] }> {
    const c = await this.call('nodoChiediCatalogoServizi', { ...this.caller(), identificativoDominio: idDominio });
    const b64 = c.body ? textOf(resultOf(c.body, op('nodoChiediCatalogoServizi')), 'xmlCatalogoServizi') : undefined;
    return { ...c, services: b64 === undefined ? undefined : readCatalogue(b64) };
  }

  /** nodoChiediNumeroAvviso: a notice for a service, given the service's data (XML, sent base64); the notice read from the answer. */
  async chiediNumeroAvviso(idServizio: string, idDominioErogatoreServizio: string, datiXml: string): Promise<NodoCall & { notice?: Notice }> {
    const c = await this.call('nodoChiediNumeroAvviso', { ...this.caller(), idServizio, idDominioErogatoreServizio, datiSpecificiServizio: toBase64(datiXml) });
    const r = c.body ? resultOf(c.body, op('nodoChiediNumeroAvviso')) : undefined;
    const n = child(r, 'numeroAvviso');
    const iuv = textOf(n, 'IUV');
    const fiscalCode = textOf(r, 'identificativoDominio');
    const notice = n && iuv && fiscalCode ? { fiscalCode, noticeNumber: `${textOf(n, 'auxDigit') ?? ''}${textOf(n, 'applicationCode') ?? ''}${iuv}` } : undefined;
    return { ...c, notice };
  }

  private caller(): NodeObj {
    const ids = this.o.ids;
    return { identificativoPSP: ids.idPSP, identificativoIntermediarioPSP: ids.idBrokerPSP, identificativoCanale: ids.idChannel, password: ids.password };
  }

  /** The QrCode of a notice; a notice that has none (not 18 digits, no EC fiscal code) cannot make a valid request. */
  private qrCode(primitive: string, notice: Notice): NodeObj {
    let c: CodiceIdRpt;
    try {
      c = codiceIdRpt(notice.fiscalCode, notice.noticeNumber);
    } catch (e) {
      throw new InvalidRequest(primitive, [`codiceIdRPT: ${(e as Error).message}`]);
    }
    return this.codiceIdRPT(c);
  }

  /** codiceIdRPT's content: the form's element, qualified with the prefix the interface declares for its namespace. */
  private codiceIdRPT(c: CodiceIdRpt): NodeObj {
    const { form, ...fields } = c;
    const ns = { QrCode: DOCUMENT_NS.qrc, BarCode: DOCUMENT_NS.bc, aim128: DOCUMENT_NS.aim }[form];
    const prefix = Object.entries(nodoPerPsp.namespaces).find(([, uri]) => uri === ns)?.[0];
    if (!prefix) throw new Error(`NodoPerPsp declares no prefix for ${ns}`);
    const q = (n: string) => `${prefix}:${n}`;
    const key = form === 'QrCode' ? 'CF' : form === 'BarCode' ? 'Gln' : 'CCPost';
    const f = fields as Record<string, string | undefined>;
    return { [q(form)]: { [q(key)]: f[key], [q('CodStazPA')]: f.CodStazPA, [q('AuxDigit')]: f.AuxDigit, [q('CodIUV')]: f.CodIUV } };
  }

  private async call(primitive: string, content: NodeObj): Promise<NodoCall> {
    const o = op(primitive);
    const envelope = encodeEnvelope(o, 'request', content);
    assertValidRequest(o, envelope);
    const url = o.pack === nodoPerPspRichiestaAvvisi ? (this.o.avvisiUrl ?? this.o.nodoUrl.replace(/\/NodoPerPsp\/?$/, nodoPerPspRichiestaAvvisi.path)) : this.o.nodoUrl;
    const result = await soapCall({
      url, op: o, envelope, soapAction: o.soapAction, from: 'psp', to: 'nodo',
      timeoutMs: nodoCallTimeoutMs(primitive), clock: this.o.clock, journal: this.o.journal(), faults: this.o.faults(),
      headers: { 'x-collaudo-from': 'psp', ...(this.o.headers ?? {}) }, tls: this.o.tls,
    });
    return { ...readNodoAnswer(o, answerOfCall(result)), result, sent: envelope };
  }
}

/** The old model's answer as src/wire/answer.ts reads it (esito, faultBean), plus datiPagamentoPA from the element the response wraps. */
export function readNodoAnswer(o: Operation, a: Answer): Answer & { esito?: string; datiPagamentoPA?: DatiPagamentoPA } {
  if (!a.body) return a;
  const dati = child(resultOf(a.body, o), 'datiPagamentoPA');
  return {
    ...a,
    esito: a.outcome,
    datiPagamentoPA: dati
      ? {
          importoSingoloVersamento: parseAmount(textOf(dati, 'importoSingoloVersamento')),
          ibanAccredito: textOf(dati, 'ibanAccredito'),
          bicAccredito: textOf(dati, 'bicAccredito'),
          denominazioneBeneficiario: textOf(child(dati, 'enteBeneficiario'), 'denominazioneBeneficiario'),
          credenzialiPagatore: textOf(dati, 'credenzialiPagatore'),
          causaleVersamento: textOf(dati, 'causaleVersamento'),
        }
      : undefined,
  };
}

/** The services of a Catalogo dei Servizi (collaudo's CatalogoServizi document, already validated by the codec). */
export function readCatalogue(b64: string): CatalogueService[] {
  const doc = parseDocument(Buffer.from(b64, 'base64'));
  try {
    return childrenNamed(toEl(doc.root), 'servizio').map((s) => ({
      idServizio: textOf(s, 'idServizio') ?? '',
      idDominioErogatoreServizio: textOf(s, 'idDominioErogatoreServizio') ?? '',
      denominazioneErogatore: textOf(s, 'denominazioneErogatore'),
      descrizioneServizio: textOf(s, 'descrizioneServizio'),
    }));
  } finally {
    doc.dispose();
  }
}

/** An amount's wire form; one that has none (negative, not whole cents) cannot make a valid request. */
function wireAmount(c: Cents): string {
  if (!Number.isInteger(c) || c < 0) throw new InvalidRequest('nodoAttivaRPT', [`importoSingoloVersamento: ${c} cents has no wire form`]);
  return formatAmount(c);
}
