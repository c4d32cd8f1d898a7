// Defect switches of the reference PSP: each one a realistic PSP bug, visible on the wire, that at
// least one scenario of suites/psp catches (`collaudo mutants --seat psp`).
import { FDR_NEW_DEFECTS } from './fdr/defects.js';

export const PSP_DEFECTS = [
  { id: 'wrong-password', description: 'calls the Nodo with a wrong channel password', catches: ['NM-X-AUTH-01', 'IF-verifyPaymentNotice-F04', 'IF-activatePaymentNotice-F04', 'IF-sendPaymentOutcome-F04', 'IF-demandPaymentNotice-F04', 'IF-nodoChiediCatalogoServiziV2-F04'] },
  { id: 'amount-one-decimal', description: 'writes the activation amount with one decimal (12.5): schema-invalid request', catches: ['NM-X-SYN-01', 'IF-activatePaymentNotice-F08'] },
  { id: 'key-without-prefix', description: 'builds idempotency keys without the idPSP prefix (SHOULD)', catches: ['NM-TOK-VAL-03'] },
  { id: 'expiration-too-long', description: 'asks a token lifetime of 1800001 ms, above the 30-minute maximum', catches: ['NM-TOK-VAL-01', 'IF-activatePaymentNotice-F07'] },
  { id: 'new-key-on-retry', description: 'retries an unanswered activation with a new idempotencyKey', catches: ['NM-SLA-KPI-04'] },
  { id: 'reuse-key', description: 'reuses the idempotencyKey of its previous activation for another payment', catches: ['NM-TOK-ERR-01'] },
  { id: 'no-outcome', description: 'never sends sendPaymentOutcome after a successful activation', catches: ['NM-TOK-TO-01'] },
  { id: 'late-outcome', description: 'sends the outcome after the token expired (31 minutes later)', catches: ['NM-TOK-TO-01'] },
  { id: 'outcome-after-failed-activation', description: 'sends an outcome KO even when the activation failed', catches: ['IF-activatePaymentNotice-F75'] },
  { id: 'charge-printed-amount', description: 'charges the printed amount instead of the totalAmount the activation returned', catches: ['NM-PSPPAY-PAY-07', 'IF-activatePaymentNotice-F76'] },
  { id: 'charge-verified-amount', description: 'charges the verified amount instead of the totalAmount the activation returned', catches: ['NM-PSPPAY-PAY-07', 'IF-activatePaymentNotice-F76'] },
  { id: 'parse-by-prefix', description: 'reads the Nodo\'s answers by their usual prefixes (soapenv:, nfp:) instead of by namespace', catches: ['IF-X-04', 'IF-X-05'] },
  { id: 'expand-entities', description: 'expands the entities of a DTD in the Nodo\'s answer instead of refusing it', catches: ['NM-X-VAL-01'] },
  { id: 'short-timeout-new-key', description: 'gives up on an activation after 5 s (below the Nodo\'s station timeout) and retries with a new idempotencyKey', catches: ['NM-SLA-KPI-04'] },
  { id: 'reject-standin-notify', description: 'refuses a pspNotifyPayment that carries standin=true', catches: ['NM-SI-PAY-03'] },
  { id: 'repeat-outcome', description: 'sends sendPaymentOutcome again (new key) after the Nodo already answered', catches: ['NM-TOK-DUP-02'] },
  { id: 'no-outcome-retry', description: 'does not retry an unanswered sendPaymentOutcome', catches: ['IF-sendPaymentOutcome-F71'] },
  { id: 'outcome-retry-new-key', description: 'retries an unanswered sendPaymentOutcome with a new idempotencyKey', catches: ['IF-sendPaymentOutcome-F71'] },
  { id: 'activate-after-ec-refusal', description: 'activates the notice although the verification was refused by the EC', catches: ['NM-PSPPAY-ERR-01'] },
  { id: 'retry-in-progress-new-key', description: 'answers PPT_PAGAMENTO_IN_CORSO by activating again at once with a new key', catches: ['NM-PSPPAY-CONC-01'] },
  { id: 'report-paid-on-expired-token', description: 'reports the payment as done when the outcome was refused with PPT_TOKEN_SCADUTO', catches: ['NM-TOK-ERR-03'] },
  { id: 'outcome-after-refused-notify', description: 'sends an OK outcome after refusing pspNotifyPayment', catches: ['NM-EC-ERR-01'] },
  { id: 'ko-after-accepted-notify', description: 'accepts pspNotifyPayment, then sends outcome KO', catches: ['NM-EC-ERR-04'] },
  { id: 'no-outcome-after-notify', description: 'accepts pspNotifyPayment and never sends the outcome', catches: ['NM-EC-PAY-03'] },
  { id: 'accept-misaddressed-notify', description: 'accepts a pspNotifyPayment addressed to another PSP or channel', catches: ['NM-EC-ERR-05'] },
  { id: 'notify-fault-as-nodo', description: 'refuses pspNotifyPayment with a PPT_ code and id NodoDeiPagamentiSPC instead of CANALE_ and its idPSP', catches: ['NM-X-FB-01'] },
  { id: 'slow-notify-answer', description: 'answers pspNotifyPayment after 8 s, beyond the Nodo timeout', catches: ['NM-SLA-TO-01'] },
  { id: 'partial-cart-outcome', description: 'settles a pspNotifyPaymentV2 cart with an outcome for the first token only', catches: ['NM-EC-PAY-05'] },
  { id: 'spontaneous-other-qrcode', description: 'activates a spontaneous payment with a notice number other than the one demandPaymentNotice returned', catches: ['NM-SPONT-ERR-03'] },
  { id: 'verify-only-activates', description: 'activates the notice when the user only asked to verify it', catches: ['NM-PSPPAY-PAY-04'] },
  { id: 'abandon-sends-ok', description: 'sends outcome OK when the user abandoned the payment', catches: ['NM-PSPPAY-PAY-06'] },
  { id: 'reject-standin', description: 'treats an activation served in Stand-In (standin=true) as a failure and abandons it', catches: ['NM-SI-PAY-03'] },
  { id: 'no-details', description: 'sends outcome OK without payment details (SHOULD)', catches: ['NM-TOK-VAL-04'] },
  { id: 'crash-on-bad-answer', description: 'stops working (answers the trigger hook with 500) after an unreadable Nodo answer', catches: ['NM-X-VAL-01'] },
  { id: 'activate-after-duplicate', description: 'answers PPT_PAGAMENTO_DUPLICATO by activating again with a new key', catches: ['NM-PSPPAY-ERR-07'] },
  // reconciliation (FdR): ./fdr/defects.ts
  ...FDR_NEW_DEFECTS,
] as const;

export type PspDefect = (typeof PSP_DEFECTS)[number]['id'];

export function isPspDefect(x: string): x is PspDefect {
  return PSP_DEFECTS.some((d) => d.id === x);
}
