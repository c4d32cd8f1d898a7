// The JSON view of the EC's archive that the provisioning adapter and the public methods give:
// amounts in cents (`amountCents`), receipts with the position they closed or credited.
import type { Cents, PositionState, Subject, Transfer } from '../../domain/common.js';
import type { Archive, BookedReceipt, EcPosition } from './archive.js';

export interface TransferJson extends Omit<Transfer, 'amount'> {
  amountCents: Cents;
}

export interface ReceiptJson extends Omit<BookedReceipt, 'paymentAmount' | 'transfers'> {
  paymentAmountCents?: Cents;
  transfers: { idTransfer: number; fiscalCodePA: string; amountCents?: Cents; mbd: boolean }[];
}

export interface PositionJson {
  fiscalCode: string;
  noticeNumber: string;
  iuv: string;
  amountCents: Cents;
  state: PositionState;
  description: string;
  companyName: string;
  officeName?: string;
  dueDate: string;
  debtor: Subject;
  transfers: TransferJson[];
  metadata?: Record<string, string>;
  origin: EcPosition['origin'];
  createdAt: string;
  history: EcPosition['history'];
  receipts: ReceiptJson[];
}

export function positionJson(p: EcPosition, archive: Archive): PositionJson {
  return {
    fiscalCode: p.fiscalCode,
    noticeNumber: p.noticeNumber,
    iuv: p.iuv,
    amountCents: p.amount,
    state: p.state,
    description: p.description,
    companyName: p.companyName,
    officeName: p.officeName,
    dueDate: p.dueDate,
    debtor: p.debtor,
    transfers: p.transfers.map((t) => ({
      idTransfer: t.idTransfer,
      amountCents: t.amount,
      fiscalCodePA: t.fiscalCodePA,
      iban: t.iban,
      remittanceInformation: t.remittanceInformation,
      transferCategory: t.transferCategory,
      companyName: t.companyName,
    })),
    metadata: p.metadata,
    origin: p.origin,
    createdAt: p.createdAt,
    history: p.history.map((h) => ({ ...h })),
    receipts: archive.receiptsOfNotice(p.fiscalCode, p.noticeNumber).map(receiptJson),
  };
}

export function receiptJson(r: BookedReceipt): ReceiptJson {
  const { paymentAmount, transfers, ...rest } = r;
  return {
    ...rest,
    paymentAmountCents: paymentAmount,
    transfers: transfers.map((t) => ({ idTransfer: t.idTransfer, fiscalCodePA: t.fiscalCodePA, amountCents: t.amount, mbd: t.mbd })),
    anomalies: [...r.anomalies],
  };
}
