// A notice the EC cannot let be paid, and the PAA_PAGAMENTO_* code it answers on verify and on
// activation (catalogue §3.1 "Common frame for NM-PSPPAY-ERR-01…05"; IF-paVerifyPaymentNotice-F74,
// IF-paGetPayment-F78; the old model's paaVerificaRPT / paaAttivaRPT answer the same codes, OLD-PSP-ERR-02..06).
// One table for the reference EC, the EC suites of both models and the PSP suite.
import type { NoticeState } from './common.js';

export type RefusedNoticeState = Exclude<NoticeState, 'payable'>;

export interface NoticeStateFault {
  state: RefusedNoticeState;
  code: string;
  requirement: string;
  /** the same refusal in the old model (paaVerificaRPT / paaAttivaRPT, OLD-PSP-ERR-02..06) */
  oldRequirement: string;
  /** the state in Italian, as the Italian titles name it */
  it: string;
}

export const NOTICE_STATE_FAULTS: readonly NoticeStateFault[] = [
  { state: 'unknown', code: 'PAA_PAGAMENTO_SCONOSCIUTO', requirement: 'NM-PSPPAY-ERR-01', oldRequirement: 'OLD-PSP-ERR-02', it: 'sconosciuto' },
  { state: 'paid', code: 'PAA_PAGAMENTO_DUPLICATO', requirement: 'NM-PSPPAY-ERR-02', oldRequirement: 'OLD-PSP-ERR-03', it: 'già pagato' },
  { state: 'expired', code: 'PAA_PAGAMENTO_SCADUTO', requirement: 'NM-PSPPAY-ERR-03', oldRequirement: 'OLD-PSP-ERR-06', it: 'scaduto' },
  { state: 'cancelled', code: 'PAA_PAGAMENTO_ANNULLATO', requirement: 'NM-PSPPAY-ERR-04', oldRequirement: 'OLD-PSP-ERR-05', it: 'annullato' },
  { state: 'in-progress', code: 'PAA_PAGAMENTO_IN_CORSO', requirement: 'NM-PSPPAY-ERR-05', oldRequirement: 'OLD-PSP-ERR-04', it: 'in corso' },
];

/** The fault code for a notice in `state`; undefined for a payable one. */
export function noticeStateFault(state: NoticeState): string | undefined {
  return NOTICE_STATE_FAULTS.find((r) => r.state === state)?.code;
}
