// The platform receipt (IF-TYPE-ctReceipt / ctReceiptV2, IF-paSendRT-F05) and its delivery record
// (NM-SM-RCPT). Amounts are cents inside, `\d+\.\d{2}` on the wire.
import type { Node, NodeObj } from '../../src/wire/xml.js';
import { formatAmount, type Cents } from '../../domain/common.js';
import { clip } from './tree.js';
import type { AttemptRecord, DeliveryStatus } from '../../src/core/delivery-queue.js';

export interface ReceiptTransfer {
  idTransfer: number;
  amount: Cents;
  fiscalCodePA: string;
  companyName?: string;
  /** credited account; absent for a digital-stamp (MBD) transfer */
  iban?: string;
  /** base64 MBD document bought by the PSP (V2 receipts only) */
  mbdAttachment?: string;
  remittanceInformation: string;
  transferCategory: string;
  /** ctMetadata content ({ mapEntry: [...] }) as received from the EC */
  metadata?: Node;
}

export interface ReceiptData {
  /** = paymentToken (reading NM-A-19 / IF-A-36) */
  receiptId: string;
  noticeNumber: string;
  /** EC that issued the notice */
  fiscalCode: string;
  outcome: 'OK' | 'KO';
  creditorReferenceId: string;
  paymentAmount: Cents;
  description: string;
  companyName: string;
  officeName?: string;
  /** ctSubject content */
  debtor: Node;
  transfers: ReceiptTransfer[];
  idPSP: string;
  pspFiscalCode?: string;
  pspPartitaIVA?: string;
  PSPCompanyName: string;
  idChannel: string;
  channelDescription: string;
  payer?: Node;
  paymentMethod?: string;
  /** V2 only */
  paymentNote?: string;
  fee?: Cents;
  /** V2 only */
  primaryCiIncurredFee?: Cents;
  /** V2 only */
  idBundle?: string;
  /** V2 only */
  idCiBundle?: string;
  /** `YYYY-MM-DDThh:mm:ss` */
  paymentDateTime?: string;
  applicationDate?: string;
  transferDate?: string;
  metadata?: Node;
  standIn: boolean;
}

const amt = (c: Cents | undefined) => (c === undefined ? undefined : formatAmount(c));

/**
 * The `receipt` element content of paSendRT (version 1, ctReceipt) or paSendRTV2 (version 2,
 * ctReceiptV2), in schema order. A V1 receipt cannot carry a digital stamp: such transfers are left
 * out of it (they only exist on V2 stations, IF-activatePaymentNotice-F79).
 */
export function buildReceipt(r: ReceiptData, version: 1 | 2): NodeObj {
  const transfers = (version === 1 ? r.transfers.filter((t) => t.iban !== undefined) : r.transfers).map((t) => {
    const o: NodeObj = {
      idTransfer: t.idTransfer,
      transferAmount: formatAmount(t.amount),
      fiscalCodePA: t.fiscalCodePA,
    };
    if (version === 2) {
      o.companyName = clip(t.companyName, 140);
      if (t.iban !== undefined) o.IBAN = t.iban;
      else o.MBDAttachment = t.mbdAttachment ?? '';
    } else o.IBAN = t.iban;
    o.remittanceInformation = t.remittanceInformation;
    o.transferCategory = t.transferCategory;
    o.metadata = t.metadata;
    return o;
  });
  const head: NodeObj = {
    receiptId: r.receiptId,
    noticeNumber: r.noticeNumber,
    fiscalCode: r.fiscalCode,
    outcome: r.outcome,
    creditorReferenceId: r.creditorReferenceId,
    paymentAmount: formatAmount(r.paymentAmount),
    description: clip(r.description, 140),
    companyName: clip(r.companyName, 140),
    officeName: clip(r.officeName, 140),
    debtor: r.debtor,
    transferList: { transfer: transfers },
    idPSP: r.idPSP,
    pspFiscalCode: clip(r.pspFiscalCode, 70),
    pspPartitaIVA: clip(r.pspPartitaIVA, 20),
    PSPCompanyName: clip(r.PSPCompanyName, 70),
    idChannel: r.idChannel,
    channelDescription: clip(r.channelDescription, 35),
    payer: r.payer,
    paymentMethod: clip(r.paymentMethod, 35),
  };
  const v2: NodeObj =
    version === 2
      ? {
          paymentNote: clip(r.paymentNote, 210),
          fee: amt(r.fee),
          primaryCiIncurredFee: amt(r.primaryCiIncurredFee),
          idBundle: clip(r.idBundle, 70),
          idCiBundle: clip(r.idCiBundle, 70),
        }
      : { fee: amt(r.fee) };
  return {
    ...head,
    ...v2,
    paymentDateTime: r.paymentDateTime,
    applicationDate: r.applicationDate,
    transferDate: r.transferDate,
    metadata: r.metadata,
    standIn: r.standIn,
  };
}

// ---------------- delivery (NM-SM-RCPT) ----------------
// The queue itself is the generic one of src/core/delivery-queue.ts; these are its receipt records.

export type { DeliveryState, DeliverySchedule } from '../../src/core/delivery-queue.js';
export { deliveryDeadlineMs } from '../../src/core/delivery-queue.js';

export interface DeliveryAttempt extends AttemptRecord {
  result: 'ok' | 'duplicate' | 'ko' | 'timeout' | 'unreachable' | 'invalid';
  transport: string;
  httpStatus?: number;
  faultCode?: string;
  description?: string;
  latencyMs: number;
}

/** A receipt's delivery to one EC (state, attempts, maxAttempts, createdAt, finalAt, reason: DeliveryStatus). */
export interface Delivery extends DeliveryStatus<DeliveryAttempt> {
  /** = receiptId */
  paymentToken: string;
  receiptId: string;
  noticeNumber: string;
  /** EC the receipt is addressed to (primary or secondary beneficiary) */
  fiscalCode: string;
  idStation: string;
  primitive: 'paSendRT' | 'paSendRTV2';
  /** primary EC of the notice, or a secondary beneficiary */
  role: 'primary' | 'secondary' | 'crafted';
}
