// What the old-model station's parts share: who the station is (its ECs, broker, station id), its
// defect switches and archives, the EC's fault table (catalogue §4.2, faultBean §1.5: id = the EC's
// identificativoDominio), and the answers of its two interfaces, whose response element wraps one
// child of the same name carrying fault?, esito and the operation's data.
import { type Clock, isoDateTime } from '../../../src/core/clock.js';
import type { Operation } from '../../../interfaces/index.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import { encodeEnvelope, koFor } from '../../../src/wire/soap.js';
import { type Reply, verbatim } from '../../../src/wire/soap-endpoint.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import type { EcPositions, ServedEc } from '../options.js';
import type { OldArchive } from './archive.js';
import type { OldEcDefect } from './defects.js';
import { multiBeneficiaryCartId } from '../../../domain/old/index.js';

export type Fault = { code: string; description: string };

/** faultString of each PAA_* code (gestione degli errori, L954-990, restated). */
export const PAA_FAULT_STRINGS: Record<string, string> = {
  PAA_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PAA_SINTASSI_XSD: 'Errore di sintassi XSD.',
  PAA_SEMANTICA: 'Errore semantico.',
  PAA_SYSTEM_ERROR: 'Errore generico.',
  PAA_ID_DOMINIO_ERRATO: 'La PAA non corrisponde al Dominio indicato.',
  PAA_ID_INTERMEDIARIO_ERRATO: 'Identificativo intermediario non corrispondente.',
  PAA_STAZIONE_INT_ERRATA: 'Stazione intermediario non corrispondente.',
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore.",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore.",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento in attesa risulta in corso all'Ente Creditore.",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore.",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
  PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO: "L'importo del pagamento in attesa non è congruente con il dato indicato dal PSP.",
  PAA_RPT_SCONOSCIUTA: 'La RPT risulta sconosciuta.',
  PAA_RT_DUPLICATA: 'La RT è già stata accettata.',
  PAA_RT_SCONOSCIUTA: 'La RT risulta sconosciuta.',
  PAA_RR_DUPLICATA: 'La RR è già stata accettata.',
  PAA_RR_SCONOSCIUTA: 'La RR risulta sconosciuta.',
  PAA_ER_DUPLICATA: "L'ER è già stato accettato.",
  PAA_OPER_NON_REVOCABILE: "Operazione non revocabile dall'Ente Creditore.",
  PAA_TIPOFIRMA_SCONOSCIUTO: 'Il campo tipoFirma non corrisponde ad alcun valore previsto.',
};

/** The station's identity and what its parts read and change. */
export class OldStation {
  constructor(
    readonly ec: EcPositions,
    readonly defects: ReadonlySet<OldEcDefect>,
    readonly apa: OldArchive,
  ) {}

  get clock(): Clock {
    return this.ec.opts.clock;
  }
  get idBrokerPA(): string {
    return this.ec.opts.idBrokerPA;
  }
  get idStation(): string {
    return this.ec.opts.idStation;
  }
  has(d: OldEcDefect): boolean {
    return this.defects.has(d);
  }
  nowIso(): string {
    return isoDateTime(this.clock.now());
  }
  served(idDominio: string | undefined): ServedEc | undefined {
    return this.ec.servedEcs.find((e) => e.fiscalCode === idDominio);
  }

  /** The faultBean id: the EC's identificativoDominio (§1.5), the primary EC when the domain is foreign. */
  faultId(idDominio: string | undefined): string {
    if (this.has('old-fault-id-broker')) return this.idBrokerPA;
    return this.served(idDominio)?.fiscalCode ?? this.ec.fiscalCode;
  }

  /** OK answer of a station operation: the wrapped child with esito OK and `data` (schema order). */
  ok(op: Operation, data: NodeObj = {}): NodeObj {
    const content = { esito: 'OK', ...data };
    return op.result ? { [op.result]: content } : content;
  }

  /** KO answer of a handler (see koAnswer). */
  ko(op: Operation, idDominio: string | undefined, f: Fault, data: NodeObj = {}): Reply {
    return verbatim(this.koAnswer(op, idDominio, f, data));
  }

  /** KO answer (HTTP 200): fault first (it extends `risposta`), then esito, then `data`. */
  koAnswer(op: Operation, idDominio: string | undefined, f: Fault, data: NodeObj = {}): OutgoingSoap {
    const bean = { faultCode: f.code, faultString: PAA_FAULT_STRINGS[f.code] ?? f.code, id: this.faultId(idDominio), description: f.description.slice(0, 1000) };
    const content = koFor(op, bean);
    // data the KO carries after esito (datiPagamentoPA of PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO)
    if (op.result) content[op.result] = { ...(content[op.result] as NodeObj), ...data };
    else Object.assign(content, data);
    return { status: 200, body: encodeEnvelope(op, 'response', content) };
  }

  /** A semantic error, as the defect bends it. */
  semantic(description: string): Fault {
    if (this.has('old-semantic-as-system-error')) return { code: 'PAA_SYSTEM_ERROR', description: 'internal error while checking the document' };
    return { code: 'PAA_SEMANTICA', description };
  }

  // ------------------------------------------------------------------ APA state → fault (§2.1 L1917-1924)

  stateFault(p: EcPosition | undefined, idDominio: string, iuv: string): Fault | undefined {
    const at = `IUV ${iuv} of EC ${idDominio}`;
    if (!p) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `${at}: no pending payment in the APA` };
    switch (p.state) {
      case 'payable':
        return undefined;
      case 'paid':
        if (this.has('old-paid-as-unknown')) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `${at}: no pending payment in the APA` };
        return { code: 'PAA_PAGAMENTO_DUPLICATO', description: `${at} is already paid (Chiusa)` };
      case 'in-progress':
        if (this.has('old-in-progress-ignored')) return undefined;
        return { code: 'PAA_PAGAMENTO_IN_CORSO', description: `${at} is In pagamento: a payment is in progress` };
      case 'cancelled':
        if (this.has('old-cancelled-as-expired')) return { code: 'PAA_PAGAMENTO_SCADUTO', description: `${at} is no longer payable` };
        return { code: 'PAA_PAGAMENTO_ANNULLATO', description: `${at} was annulled by the EC` };
      case 'expired':
        if (this.has('old-expired-as-unknown')) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `${at}: no pending payment in the APA` };
        return { code: 'PAA_PAGAMENTO_SCADUTO', description: `${at} expired on ${p.dueDate} and is no longer payable` };
    }
  }

  /** datiPagamentoPA of a position (P30/P31 answers): amount, account to credit, remittance text. */
  datiPagamentoPA(p: EcPosition): NodeObj {
    const t = p.transfers[0];
    return {
      importoSingoloVersamento: (p.amount / 100).toFixed(2),
      ibanAccredito: t?.iban,
      // the creditor, as the seed lists it in the answer (L1737-1741); qualified in the RPT/RT namespace
      enteBeneficiario: {
        'pay_i:identificativoUnivocoBeneficiario': { 'pay_i:tipoIdentificativoUnivoco': 'G', 'pay_i:codiceIdentificativoUnivoco': p.fiscalCode },
        'pay_i:denominazioneBeneficiario': p.companyName.slice(0, 70),
      },
      causaleVersamento: (t?.remittanceInformation ?? `/RFB/${p.iuv}/${(p.amount / 100).toFixed(2)}/TXT/${p.description}`).slice(0, 140),
    };
  }

  /** A fresh CCP of the EC's numbering (TR-30: 1..35 characters). */
  freshCcp(): string {
    return `CCP${this.clock.now()}${String(++this.seq).padStart(4, '0')}`.slice(0, 35);
  }

  /** identificativoCarrello: Anno(4) idDominio(11) codiceSorgente(2) Progressivo(18) (TR-32, A-02). */
  freshCartId(idDominio: string): string {
    if (this.has('old-cart-id-reused')) return `${new Date(this.clock.now()).getUTCFullYear()}${idDominio}01${'1'.padStart(18, '0')}`;
    for (;;) {
      const prog = `${this.clock.now()}${String(++this.seq).padStart(5, '0')}`.slice(-18).padStart(18, '0');
      const id = `${new Date(this.clock.now()).getUTCFullYear()}${idDominio}01${prog}`;
      if (!this.apa.cartTaken(id)) return id;
    }
  }
  private seq = 0;

  /** identificativoCarrello of a multi-beneficiary cart: idDominio(11) numeroAvviso(18) "-" Progressivo(5), for its first payment (WSDL, TR-32). */
  freshMbCartId(idDominio: string, noticeNumber: string): string {
    // the defect keeps the classic syntax the station uses for its other carts
    if (this.has('old-mb-cart-id-classic')) return this.freshCartId(idDominio);
    for (;;) {
      const id = multiBeneficiaryCartId(idDominio, noticeNumber, ++this.seq);
      if (!this.apa.cartTaken(id)) return id;
    }
  }
}
