// The reference EC's reconciliation defects (./reconciler.ts): each a fault a real EC's reconciliation
// could have, each visible to the harness through the protocol (its reads at the Nodo, a later
// verify / paaVerificaRPT) or through the read-back the profile declares.
import type { FdrDefect } from './reconciler.js';

/** Shaped as ../defects.ts EcDefectInfo (which lists these among the station's defects). */
export interface FdrDefectInfo {
  id: FdrDefect;
  description: string;
  catches: string[];
  why: string;
}

export const FDR_EC_DEFECTS: FdrDefectInfo[] = [
  {
    id: 'fdr-ignores-code-9',
    description: 'Lines with code 9 (or 8) are booked as unmatched and the position stays open: a later verify / paaVerificaRPT answers it payable instead of PAA_PAGAMENTO_DUPLICATO.',
    catches: ['NM-FDR-VAL-04', 'NM-FDR-REC-01', 'OLD-FDR-04', 'OLD-PSP-ERR-17'],
    why: 'NM-FDR-VAL-04 (8 and 9 must still close the position), OLD-PSP-ERR-17 (the EC sets the payment PAGATO)',
  },
  {
    id: 'fdr-rereads-all',
    description: 'Every reconciliation round downloads every listed flow again, whether it was already reconciled or not.',
    catches: ['NM-FDR-PAY-02', 'NM-FDR-PAY-10', 'OLD-FDR-01'],
    why: 'NM-FDR-PAY-02: list, then download each new flow exactly once (idempotent re-download only when asked)',
  },
  {
    id: 'fdr-unknown-id-loop',
    description: 'A flow that the Nodo does not know (PPT_ID_FLUSSO_SCONOSCIUTO / FDR-3001) is asked for again and again in the same round.',
    catches: ['OLD-FDR-ERR-10', 'NM-FDR-PAY-02', 'NM-FDR-PAY-10'],
    why: 'OLD-FDR-ERR-10: on PPT_ID_FLUSSO_SCONOSCIUTO the EC stops asking for that id (retry is for PPT_SYSTEM_ERROR only)',
  },
  {
    id: 'fdr-refuses-standin',
    description: 'A flow with a Stand-In line (code 4 or 8) is discarded as invalid: none of its lines is booked, its code-8 positions stay open.',
    catches: ['NM-FDR-VAL-04', 'NM-FDR-REC-01'],
    why: 'NM-FDR-VAL-04 / NM-A-24: the EC accepts all five codes',
  },
  {
    id: 'fdr-books-copies-twice',
    description: 'The SOAP and the FdR 3 copy of one flow are booked separately: each line twice.',
    catches: ['NM-FDR-DUP-01'],
    why: 'NM-FDR-DUP-01 / NM-A-21: the EC never books the same line twice across SOAP and REST copies',
  },
  {
    id: 'fdr-superseded-revision',
    description: 'The EC reads and reconciles revision 1 of every FdR 3 flow, whatever the latest revision is.',
    catches: ['NM-FDR-PAY-11', 'NM-FDR-TO-02'],
    why: 'NM-FDR-PAY-11 / NM-A-22: the EC reconciles on the latest revision and discards the superseded one',
  },
  {
    id: 'fdr-key-without-transfer',
    description: 'Lines are matched by (IUV, IUR) only: the second transfer of a split payment is taken for a duplicate and never booked.',
    catches: ['NM-MB-FDR-01', 'NM-FDR-VAL-02', 'NM-FDR-REC-02'],
    why: 'NM-MB-FDR-01: each transfer is identified by IUV + IUR + idTransfer',
  },
  {
    id: 'fdr-reads-without-list',
    description: 'The EC never lists: it downloads by name only the flows it already knows, so a new flow is never read.',
    catches: ['NM-FDR-PAY-02', 'NM-FDR-PAY-10', 'NM-FDR-REC-01', 'OLD-FDR-01'],
    why: 'NM-FDR-PAY-02 / NM-FDR-PAY-10: list, then read each new flow',
  },
  {
    id: 'fdr-wrong-password',
    description: 'The reconciliation job calls nodeForPa / NodoPerPa with an old station password: the Nodo refuses every list and download (PPT_AUTENTICAZIONE).',
    catches: ['NM-X-AUTH-01', 'NM-FDR-PAY-02', 'OLD-FDR-01', 'IF-nodoChiediElencoFlussiRendicontazione-F03'],
    why: 'NM-X-AUTH-01: caller identification on every Nodo-exposed primitive, the SOAP FdR ones included',
  },
];
