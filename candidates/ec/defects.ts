// Defect switches of the reference EC (DESIGN.md "Reference parts and mutants"). A ReferenceEc with
// one switch on is a mutant: each switch changes exactly one behaviour, is a defect a real EC (or
// its broker's station) could have, and shows on the wire to a black-box harness. `catches` names
// the requirement the defect violates (ids of ../shared/spec catalogues).

export const EC_DEFECT_IDS = [
  'expired-as-unknown',
  'cancelled-as-expired',
  'paid-verify-ok',
  'in-progress-ignored',
  'unknown-as-system-error',
  'verify-locks',
  'getpayment-locks',
  'verify-wrong-fiscalcode',
  'verify-missing-company',
  'amount-locale',
  'amount-not-sum',
  'drop-due-date',
  'v2-missing-company',
  'bad-iban',
  'late-answer',
  'receipt-leaves-open',
  'receipt-unknown-ok',
  'duplicate-receipt-rebooked',
  'duplicate-receipt-system-error',
  'standin-amount-refused',
  'receipt-ko-on-expired',
  'secondary-receipt-unknown',
  'no-self-check',
  'accepts-invalid',
  'crash-on-garbage',
  'fault-id-broker',
  'ko-http-500',
  'demand-ignores-data',
  'allccp-always-true',
  'late-demand',
  'cart-amount-euro',
  'redirect-closes',
  'stamp-hash-hex',
  'mbd-refused',
  'instalment-closes-plan',
  'aca-not-fed',
  'aca-stale-amount',
  'gpd-unpublished',
  'gpd-sum-mismatch',
  'send-fee-euro',
  'portal-esito-trusted',
  'portal-error-not-paid',
  // reconciliation (./fdr/reconciler.ts)
  'fdr-ignores-code-9',
  'fdr-rereads-all',
  'fdr-unknown-id-loop',
  'fdr-refuses-standin',
  'fdr-books-copies-twice',
  'fdr-superseded-revision',
  'fdr-key-without-transfer',
  'fdr-reads-without-list',
  'fdr-wrong-password',
] as const;

export type EcDefect = (typeof EC_DEFECT_IDS)[number];

export interface EcDefectInfo {
  id: EcDefect;
  description: string;
  /** the requirement ids the defect violates: a kill counts only when a failing check names one of them */
  catches: string[];
  /** the clause in words, as the catalogue reads it */
  why: string;
}

export const EC_DEFECTS: EcDefectInfo[] = [
  {
    id: 'expired-as-unknown',
    description:
      'An expired notice is answered KO PAA_PAGAMENTO_SCONOSCIUTO instead of PAA_PAGAMENTO_SCADUTO, on paVerifyPaymentNotice and paGetPayment(V2) (the archive query filters expired positions out).',
    catches: ['IF-paVerifyPaymentNotice-F74', 'IF-paGetPayment-F78', 'NM-PSPPAY-ERR-03'],
    why: 'IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78 (NM-PSPPAY-ERR-03)',
  },
  {
    id: 'cancelled-as-expired',
    description: 'A cancelled notice is answered KO PAA_PAGAMENTO_SCADUTO instead of PAA_PAGAMENTO_ANNULLATO (both "not payable" states share one code path).',
    catches: ['IF-paVerifyPaymentNotice-F74', 'IF-paGetPayment-F78', 'NM-PSPPAY-ERR-04'],
    why: 'IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78 (NM-PSPPAY-ERR-04)',
  },
  {
    id: 'paid-verify-ok',
    description: 'paVerifyPaymentNotice of an already paid notice answers OK with the position data instead of KO PAA_PAGAMENTO_DUPLICATO (verify reads the debt, not its payment status).',
    catches: ['IF-paVerifyPaymentNotice-F74', 'NM-PSPPAY-ERR-02', 'NM-PSPPAY-PAY-08'],
    why: 'IF-paVerifyPaymentNotice-F74 (NM-PSPPAY-ERR-02, NM-PSPPAY-PAY-08)',
  },
  {
    id: 'in-progress-ignored',
    description: 'A notice whose payment is in progress at the EC is answered OK (as payable) instead of KO PAA_PAGAMENTO_IN_CORSO, on verify and paGetPayment(V2).',
    catches: ['IF-paVerifyPaymentNotice-F74', 'IF-paGetPayment-F78', 'NM-PSPPAY-ERR-05'],
    why: 'IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78 (NM-PSPPAY-ERR-05)',
  },
  {
    id: 'unknown-as-system-error',
    description: 'A notice the EC never issued is answered KO PAA_SYSTEM_ERROR ("record not found" surfaces as an internal error) instead of PAA_PAGAMENTO_SCONOSCIUTO.',
    catches: ['IF-paVerifyPaymentNotice-F74', 'IF-paGetPayment-F78', 'NM-PSPPAY-ERR-01'],
    why: 'IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78 (NM-PSPPAY-ERR-01)',
  },
  {
    id: 'verify-locks',
    description: 'paVerifyPaymentNotice moves the position to "in progress", so the following paGetPayment (and any later verify) gets KO PAA_PAGAMENTO_IN_CORSO.',
    catches: ['IF-paVerifyPaymentNotice-F72', 'NM-PSPPAY-PAY-04', 'NM-PSPPAY-RETRY-01'],
    why: 'IF-paVerifyPaymentNotice-F72 (NM-PSPPAY-PAY-04, NM-PSPPAY-RETRY-01)',
  },
  {
    id: 'getpayment-locks',
    description: 'paGetPayment(V2) moves the position to "in progress": a second activation of the same notice (e.g. after an outcome KO or an expired token) gets KO PAA_PAGAMENTO_IN_CORSO.',
    catches: ['IF-paGetPayment-F74', 'NM-PSPPAY-PAY-06'],
    why: 'IF-paGetPayment-F74 (NM-PSPPAY-PAY-06, NM-SM-POS)',
  },
  {
    id: 'verify-wrong-fiscalcode',
    description: 'paVerifyPaymentNotice OK carries the fiscal code of another EC of the same station (or the broker\'s) in fiscalCodePA instead of the notice\'s EC.',
    catches: ['IF-paVerifyPaymentNotice-F43', 'IF-paVerifyPaymentNotice-F70'],
    why: 'IF-paVerifyPaymentNotice-F43 (fiscalCodePA = EC fiscal code), IF-paVerifyPaymentNotice-F70',
  },
  {
    id: 'verify-missing-company',
    description: 'paVerifyPaymentNotice OK without companyName (schema-valid, but the Nodo requires it on OK).',
    catches: ['IF-paVerifyPaymentNotice-F70'],
    why: 'IF-paVerifyPaymentNotice-F70',
  },
  {
    id: 'amount-locale',
    description: 'Amounts are formatted with the Italian locale ("120,50") in paVerifyPaymentNotice and paGetPayment(V2): the answer is schema-invalid.',
    catches: ['IF-X-19', 'IF-paGetPayment-F41'],
    why: 'IF-X-19 (stAmount pattern), IF-paGetPayment-F41',
  },
  {
    id: 'amount-not-sum',
    description: 'paGetPayment(V2) paymentAmount includes a 1.00 notification fee that no transfer carries, so paymentAmount ≠ Σ transferAmount.',
    catches: ['IF-paGetPayment-F70', 'NM-PSPPAY-ERR-10'],
    why: 'IF-paGetPayment-F70 (NM-PSPPAY-ERR-10)',
  },
  {
    id: 'drop-due-date',
    description: 'paGetPayment(V2) data without the mandatory dueDate: the answer is schema-invalid.',
    catches: ['IF-paGetPayment-F41'],
    why: 'IF-paGetPayment-F41 (ctPaymentPA.dueDate 1..1)',
  },
  {
    id: 'v2-missing-company',
    description: 'paGetPaymentV2 data without companyName (optional in V1, mandatory in V2): the V2 answer is schema-invalid; V1 is unaffected.',
    catches: ['IF-paGetPaymentV2-F60'],
    why: 'IF-paGetPaymentV2-F60 (ctPaymentPAV2.companyName 1..1)',
  },
  {
    id: 'bad-iban',
    description: 'paGetPayment(V2) transfers carry IBANs whose check digits are wrong (a typo in the EC\'s account table): not valid ISO 13616 IBANs, hence not registered.',
    catches: ['IF-paGetPayment-F72', 'NM-MB-VAL-01'],
    why: 'IF-paGetPayment-F72 (NM-MB-VAL-01, NM-A-17)',
  },
  {
    id: 'late-answer',
    description: 'paGetPayment(V2) is answered correctly but after 8 s (on the injected clock), past the Nodo\'s 7 s timeout.',
    catches: ['IF-X-13', 'IF-paGetPayment-F79', 'NM-PSPPAY-ERR-08'],
    why: 'IF-X-13, IF-paGetPayment-F79 (NM-PSPPAY-ERR-08, NM-TR-05)',
  },
  {
    id: 'receipt-leaves-open',
    description: 'paSendRT(V2) is answered OK and booked, but the position stays payable: a following verify answers OK instead of PAA_PAGAMENTO_DUPLICATO.',
    catches: ['IF-paSendRT-F71', 'NM-PSPPAY-PAY-08', 'NM-RT-PAY-01'],
    why: 'IF-paSendRT-F71 (NM-PSPPAY-PAY-08, NM-RT-PAY-01)',
  },
  {
    id: 'receipt-unknown-ok',
    description: 'A receipt for a notice the EC never issued (and of which it is no beneficiary) is answered OK instead of KO PAA_PAGAMENTO_SCONOSCIUTO / PAA_SEMANTICA.',
    catches: ['IF-paSendRT-F72', 'IF-A-29'],
    why: 'IF-paSendRT-F72(b) (IF-A-29, NM-A-28)',
  },
  {
    id: 'duplicate-receipt-rebooked',
    description:
      'A duplicate receipt (same receiptId again, or another receipt for a closed position) is answered OK and booked a second time / overwrites the first booking. The SOAP answer (OK) is an admissible one; the second booking shows in the EC\'s archive read-back (GET /provisioning/positions/…: two receipts).',
    catches: ['IF-paSendRT-F72', 'NM-RT-DUP-01'],
    why: 'IF-paSendRT-F72(a) (NM-RT-DUP-01: no second booking, no overwrite)',
  },
  {
    id: 'duplicate-receipt-system-error',
    description: 'A duplicate receipt hits a unique constraint and is answered KO PAA_SYSTEM_ERROR (a retryable code that keeps the Nodo re-sending) instead of PAA_RECEIPT_DUPLICATA or OK; nothing is booked twice.',
    catches: ['IF-paSendRT-F72', 'NM-RT-DUP-01', 'IF-A-28'],
    why: 'IF-paSendRT-F72(a) answer code (NM-RT-DUP-01; WARNING level per IF-A-28)',
  },
  {
    id: 'standin-amount-refused',
    description: 'A receipt whose paymentAmount differs from the position\'s current amount is answered KO PAA_SEMANTICA even when standIn=true (Stand-In paid the ACA amount).',
    catches: ['IF-paSendRT-F74', 'NM-SI-PAY-02', 'NM-RT-ERR-01'],
    why: 'IF-paSendRT-F74 (NM-SI-PAY-02, NM-RT-ERR-01)',
  },
  {
    id: 'receipt-ko-on-expired',
    description: 'A receipt for a position that expired meanwhile is answered KO PAA_PAGAMENTO_SCADUTO (the receipt path reuses the verify state check) instead of OK.',
    catches: ['NM-RT-ERR-01', 'IF-paSendRT-F71'],
    why: 'NM-RT-ERR-01 (IF-paSendRT-F71: the EC must accept the receipt and close the position)',
  },
  {
    id: 'secondary-receipt-unknown',
    description: 'A receipt addressed to a secondary (beneficiary) EC served by this station for a notice issued by another EC is answered KO PAA_PAGAMENTO_SCONOSCIUTO instead of OK.',
    catches: ['NM-MB-RT-01', 'IF-paSendRT-F72', 'IF-A-29'],
    why: 'NM-MB-RT-01 (IF-paSendRT-F72, IF-A-29)',
  },
  {
    id: 'no-self-check',
    description: 'idPA, idBrokerPA and idStation are not checked: a request addressed to another EC, broker or station is answered as if it were addressed to this one.',
    catches: ['IF-X-17', 'NM-PSPPAY-ERR-13'],
    why: 'IF-X-17 (NM-PSPPAY-ERR-13 a–c)',
  },
  {
    id: 'accepts-invalid',
    description: 'Requests are not validated against the schema: a schema-invalid request (unknown element, bad type, missing field) is processed and answered OK when the fields it needs are readable.',
    catches: ['IF-X-18', 'NM-PSPPAY-ERR-13', 'IF-A-04'],
    why: 'IF-X-18 (NM-PSPPAY-ERR-13 d, IF-A-04: only an OK is FAIL)',
  },
  {
    id: 'crash-on-garbage',
    description: 'A request that is not a SOAP envelope (not XML, truncated, unknown body element) is answered HTTP 500 with an HTML error page instead of a SOAP Fault.',
    catches: ['IF-X-09', 'IF-A-04'],
    why: 'IF-X-09, IF-A-04 (envelope-level garbage → SOAP Fault)',
  },
  {
    id: 'fault-id-broker',
    description: 'faultBean.id carries the broker id (idBrokerPA) instead of the EC fiscal code, on every KO.',
    catches: ['IF-X-11'],
    why: 'IF-X-11',
  },
  {
    id: 'ko-http-500',
    description: 'Business KO answers (outcome KO + faultBean) are sent with HTTP status 500 instead of 200.',
    catches: ['IF-X-09'],
    why: 'IF-X-09 (application errors travel with HTTP 200)',
  },
  {
    id: 'demand-ignores-data',
    description: 'paDemandPaymentNotice does not validate datiSpecificiServizioRequest: service data that is not XML or not the service\'s schema creates a position and is answered OK instead of KO PAA_SINTASSI_XSD.',
    catches: ['IF-paDemandPaymentNotice-F71', 'NM-SPONT-VAL-01'],
    why: 'IF-paDemandPaymentNotice-F71 (NM-SPONT-VAL-01)',
  },
  {
    id: 'allccp-always-true',
    description: 'paVerifyPaymentNotice always answers allCCP=true, although the EC holds no postal account for the transfers: a Poste PSP (verificaBollettino, transferType=POSTAL) gets bank IBANs.',
    catches: ['NM-PSPPAY-PAY-05', 'IF-paVerifyPaymentNotice-F71', 'IF-paGetPayment-F73'],
    why: 'NM-PSPPAY-PAY-05 (IF-paVerifyPaymentNotice-F71, IF-paGetPayment-F73)',
  },
  {
    id: 'late-demand',
    description: `paDemandPaymentNotice is answered after 8 s (the position is created by a slow back end), beyond the Nodo's 7 s: the PSP gets PPT_STAZIONE_INT_PA_TIMEOUT.`,
    catches: ['NM-SPONT-TO-01', 'NM-SLA-TO-02', 'IF-X-13'],
    why: 'NM-SPONT-TO-01, NM-SLA-TO-02 (IF-X-13)',
  },
  {
    id: 'cart-amount-euro',
    description: 'The front end puts the amounts of the Checkout cart in euro units instead of euro cents (1000 cents → 10): the cart is schema-valid but asks less than the notices are worth.',
    catches: ['NM-EC-VAL-01', 'NM-EC-PAY-01'],
    why: 'NM-EC-VAL-01, NM-EC-PAY-01',
  },
  {
    id: 'redirect-closes',
    description: "The front end marks the cart's positions paid when the user comes back on returnOkUrl, before any receipt: a following verify answers PAA_PAGAMENTO_DUPLICATO.",
    catches: ['NM-EC-PAY-02'],
    why: 'NM-EC-PAY-02 (the return is only a hint; positions close on paSendRT)',
  },
  {
    id: 'stamp-hash-hex',
    description: 'richiestaMarcaDaBollo.hashDocumento carries the hex digest of the document instead of the base64 of the SHA-256 digest (schema-valid, 64 characters, decodes to 48 bytes).',
    catches: ['NM-BOLLO-VAL-01', 'NM-BOLLO-PAY-01'],
    why: 'NM-BOLLO-VAL-01, NM-BOLLO-PAY-01',
  },
  {
    id: 'mbd-refused',
    description: 'paSendRTV2 whose transfer carries an MBDAttachment is answered KO PAA_SEMANTICA (the receipt parser does not know the stamp transfer).',
    catches: ['NM-BOLLO-PAY-01'],
    why: 'NM-BOLLO-PAY-01 (IF-paSendRTV2 MBDAttachment)',
  },
  {
    id: 'instalment-closes-plan',
    description: 'Paying one instalment of a plan closes the other instalments (they answer PAA_PAGAMENTO_ANNULLATO) instead of leaving them payable.',
    catches: ['NM-OPT-PAY-03'],
    why: 'NM-OPT-PAY-03',
  },
  {
    id: 'aca-not-fed',
    description: 'The synchronous EC never sends its payable positions to ACA (no paCreatePosition): Stand-In could not collect them.',
    catches: ['NM-SI-ACA-01'],
    why: 'NM-SI-ACA-01',
  },
  {
    id: 'aca-stale-amount',
    description: 'ACA gets the position when it is created but not its later amount updates: ACA keeps the old amount.',
    catches: ['NM-SI-ACA-01'],
    why: 'NM-SI-ACA-01 (update through the same idempotent call)',
  },
  {
    id: 'gpd-unpublished',
    description: 'The asynchronous EC creates its positions in GPD without toPublish and never publishes them: they stay DRAFT and cannot be paid.',
    catches: ['NM-SI-GPD-01', 'NM-SI-GPD-03'],
    why: 'NM-SI-GPD-01, NM-SI-GPD-03',
  },
  {
    id: 'gpd-sum-mismatch',
    description: 'The GPD createPosition body has a transfer amount 1.00 lower than the option amount: GPD refuses it (400).',
    catches: ['NM-SI-GPD-02'],
    why: 'NM-SI-GPD-02',
  },
  {
    id: 'send-fee-euro',
    description: 'NOTIFICATION_FEE metadata of a SEND notice carries euros with a decimal point ("2.50") instead of euro cents ("250").',
    catches: ['NM-X-META-02'],
    why: 'NM-X-META-02',
  },
  {
    id: 'portal-esito-trusted',
    description: 'The intermediary portal marks a session ESEGUITO as soon as the user returns with esito=OK, before the receipts arrive.',
    catches: ['NM-EC-ST-01', 'NM-EC-PAY-06'],
    why: 'NM-EC-ST-01, NM-EC-PAY-06',
  },
  {
    id: 'portal-error-not-paid',
    description: 'The intermediary portal marks a session NON_ESEGUITO as soon as the user returns with esito=ERROR, before the receipts settle.',
    catches: ['NM-EC-ST-05'],
    why: 'NM-EC-ST-05',
  },
  ...FDR_EC_DEFECTS,
];

import { FDR_EC_DEFECTS } from './fdr/defects.js';

export function isEcDefect(s: string): s is EcDefect {
  return (EC_DEFECT_IDS as readonly string[]).includes(s);
}
