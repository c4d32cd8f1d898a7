// Defect switches of the reference EC's old-model station (same pattern as ../defects.ts, a list of
// its own): each switch changes one behaviour a real old-model station has been seen to ship, shows
// on the wire or on the portal's pages, and names in `catches` the OLD-* requirements (ids with an
// `ec` level in index-old-model.json) it violates.

export const OLD_EC_DEFECT_IDS = [
  'old-paid-as-unknown',
  'old-in-progress-ignored',
  'old-expired-as-unknown',
  'old-cancelled-as-expired',
  'old-verify-locks',
  'old-amount-mismatch-ok',
  'old-importo-without-amount',
  'old-rpt-never-sent',
  'old-rpt-late',
  'old-rpt-wrong-ccp',
  'old-rpt-amount-differs',
  'old-rpt-not-po',
  'old-cart-over-5',
  'old-cart-id-reused',
  'old-rt-duplicate-accepted',
  'old-rt-leaves-open',
  'old-rt-unknown-accepted',
  'old-rt-mismatch-accepted',
  'old-semantic-as-system-error',
  'old-fault-id-broker',
  'old-no-self-check',
  'old-rr-duplicate-accepted',
  'old-er-wrong-outcome',
  'old-revoca-no-er',
  'old-er-duplicate-accepted',
  'old-storno-tipo-revoca',
  'old-return-crash-differito',
  'old-return-error-as-success',
  'old-stamp-iban',
  'old-stamp-hash-hex',
  'old-stamp-amount',
  'old-stamp-rt-refused',
  'old-mb-iur-seen-refused',
  'old-mb-flag-missing',
  'old-mb-cart-id-classic',
  'old-manleva-no-iban-addebito',
  'old-differito-as-failed',
  'old-manleva-own-iban',
  'old-spont-same-iuv',
  'old-spont-not-activatable',
  'old-spont-unknown-ok',
] as const;

export type OldEcDefect = (typeof OLD_EC_DEFECT_IDS)[number];

export interface OldEcDefectInfo {
  id: OldEcDefect;
  description: string;
  /** OLD-* ids (with an ec level) the defect violates: a kill counts only when a failing check names one */
  catches: string[];
}

export const OLD_EC_DEFECTS: OldEcDefectInfo[] = [
  { id: 'old-paid-as-unknown', description: 'paaVerificaRPT / paaAttivaRPT of a paid position (Chiusa) answer PAA_PAGAMENTO_SCONOSCIUTO instead of PAA_PAGAMENTO_DUPLICATO (the APA query reads open positions only).', catches: ['OLD-PSP-ERR-03'] },
  { id: 'old-in-progress-ignored', description: 'A position In pagamento is answered OK (as payable) instead of PAA_PAGAMENTO_IN_CORSO, on verify and activation.', catches: ['OLD-PSP-ERR-04'] },
  { id: 'old-expired-as-unknown', description: 'A position no longer payable (scaduta) is answered PAA_PAGAMENTO_SCONOSCIUTO instead of PAA_PAGAMENTO_SCADUTO.', catches: ['OLD-PSP-ERR-06'] },
  { id: 'old-cancelled-as-expired', description: 'An annulled position is answered PAA_PAGAMENTO_SCADUTO instead of PAA_PAGAMENTO_ANNULLATO.', catches: ['OLD-PSP-ERR-05'] },
  { id: 'old-verify-locks', description: 'paaVerificaRPT moves the position to In pagamento (verify must have no effect, L428): the activation that follows gets PAA_PAGAMENTO_IN_CORSO.', catches: ['OLD-PSP-PAY-03', 'OLD-PSP-PAY-02'] },
  { id: 'old-amount-mismatch-ok', description: 'paaAttivaRPT with an amount other than the APA\'s is answered OK instead of PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO.', catches: ['OLD-PSP-ERR-07'] },
  { id: 'old-importo-without-amount', description: 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO comes without datiPagamentoPA, so the PSP cannot re-activate with the right amount.', catches: ['OLD-PSP-ERR-07'] },
  { id: 'old-rpt-never-sent', description: 'After a successful paaAttivaRPT the EC never sends the RPT with nodoInviaRPT (the position stays In pagamento).', catches: ['OLD-PSP-PAY-01', 'OLD-PSP-PAY-02'] },
  { id: 'old-rpt-late', description: 'The RPT after paaAttivaRPT leaves only after a batch run, well past the activation\'s useful time (on the injected clock).', catches: ['OLD-PSP-PAY-01'] },
  { id: 'old-rpt-wrong-ccp', description: 'The RPT after paaAttivaRPT carries a CCP of the EC\'s own numbering instead of the activation\'s codiceContestoPagamento.', catches: ['OLD-PSP-PAY-01', 'OLD-PSP-PAY-02'] },
  { id: 'old-rpt-amount-differs', description: 'The RPT after paaAttivaRPT carries the position\'s amount plus a 1.00 fee, not the amount activated.', catches: ['OLD-PSP-PAY-01', 'OLD-PSP-PAY-02'] },
  { id: 'old-rpt-not-po', description: 'The RPT after paaAttivaRPT carries tipoVersamento BBT instead of PO (L1750).', catches: ['OLD-PSP-PAY-01'] },
  { id: 'old-cart-over-5', description: 'A cart of 5 positions is sent with a sixth RPT (a stamp duty line split off), over the 1..5 of listaRPT (TR-22).', catches: ['OLD-EC-PAY-01'] },
  { id: 'old-cart-id-reused', description: 'Every cart of the day reuses the same identificativoCarrello (the progressive is never incremented): the second cart is PPT_ID_CARRELLO_DUPLICATO.', catches: ['OLD-EC-PAY-01', 'OLD-EC-ERR-03'] },
  { id: 'old-rt-duplicate-accepted', description: 'An RT the EC already has is answered OK and booked again instead of PAA_RT_DUPLICATA.', catches: ['OLD-PSP-ERR-14', 'OLD-EC-ERR-08'] },
  { id: 'old-rt-leaves-open', description: 'A positive RT is answered OK but the position is not closed: a later paaVerificaRPT answers OK instead of PAA_PAGAMENTO_DUPLICATO.', catches: ['OLD-PSP-PAY-01', 'OLD-PSP-ERR-03'] },
  { id: 'old-rt-unknown-accepted', description: 'An RT for an IUV/CCP the EC never sent an RPT for is answered OK instead of PAA_RPT_SCONOSCIUTA.', catches: ['OLD-PSP-ERR-15', 'OLD-EC-ERR-08'] },
  { id: 'old-rt-mismatch-accepted', description: 'An RT whose amounts differ from its RPT is answered OK instead of PAA_SEMANTICA.', catches: ['OLD-PSP-ERR-15', 'OLD-EC-ERR-08'] },
  { id: 'old-semantic-as-system-error', description: 'Semantic errors (an RT inconsistent with its RPT, an ER inconsistent with its RR) are answered PAA_SYSTEM_ERROR instead of PAA_SEMANTICA.', catches: ['OLD-PSP-ERR-15', 'OLD-EC-ERR-08', 'OLD-STO-ERR-04'] },
  { id: 'old-fault-id-broker', description: 'faultBean.id carries the broker\'s id instead of the EC\'s identificativoDominio (§1.5).', catches: ['OLD-X-AUTH-01', 'OLD-PSP-ERR-02'] },
  { id: 'old-no-self-check', description: 'Requests for another domain, broker or station are served as if addressed to this station (no PAA_ID_DOMINIO_ERRATO / PAA_ID_INTERMEDIARIO_ERRATO / PAA_STAZIONE_INT_ERRATA).', catches: ['OLD-X-AUTH-01'] },
  { id: 'old-rr-duplicate-accepted', description: 'An RR the EC already handled is answered OK again instead of PAA_RR_DUPLICATA.', catches: ['OLD-REV-ERR-02'] },
  { id: 'old-er-wrong-outcome', description: 'The ER answering an annullo tecnico refuses it (singoloImportoRevocato 0.00) although the EC must accept it.', catches: ['OLD-REV-AT-01', 'OLD-REV-AT-02'] },
  { id: 'old-revoca-no-er', description: 'paaInviaRichiestaRevoca is answered OK but no ER ever follows with nodoInviaRispostaRevoca.', catches: ['OLD-REV-AT-01', 'OLD-REV-AT-02'] },
  { id: 'old-er-duplicate-accepted', description: 'A storno ER the EC already has is answered OK instead of PAA_ER_DUPLICATA.', catches: ['OLD-STO-ERR-04'] },
  { id: 'old-storno-tipo-revoca', description: 'The storno RR carries datiRevoca.tipoRevoca (absent for an EC storno).', catches: ['OLD-STO-01'] },
  { id: 'old-return-crash-differito', description: 'The return page answers HTTP 500 (a stack trace) on esito=DIFFERITO.', catches: ['OLD-EC-PAY-01'] },
  { id: 'old-return-error-as-success', description: 'The return page states "Pagamento eseguito" on esito=ERROR.', catches: ['OLD-EC-PAY-01'] },
  { id: 'old-stamp-iban', description: "The digital stamp's datiSingoloVersamento also carries the EC's ibanAccredito (forbidden for a stamp, L1523).", catches: ['OLD-EC-PAY-05'] },
  { id: 'old-stamp-hash-hex', description: 'hashDocumento carries the SHA-256 digest in hex (64 characters) instead of base64 of its 32 octets (L854).', catches: ['OLD-EC-PAY-05'] },
  { id: 'old-stamp-amount', description: 'The digital stamp credit asks 18.00 (the stamp plus a 2.00 fee), not the cost of tipoBollo 01 (L853).', catches: ['OLD-EC-PAY-05'] },
  { id: 'old-stamp-rt-refused', description: 'An RT carrying the digital stamp as its BD attachment (allegatoRicevuta) is refused with PAA_SEMANTICA: the stamp position stays open.', catches: ['OLD-EC-PAY-05'] },
  { id: 'old-mb-iur-seen-refused', description: 'An RT whose identificativoUnivocoRiscossione the EC already booked on another RT is refused PAA_RT_DUPLICATA (the EC takes the IUR as unique per RT; one debit of a cart gives every RT the same IUR, L571).', catches: ['OLD-EC-PAY-07'] },
  { id: 'old-mb-flag-missing', description: 'A multi-beneficiary cart (RPTs of several ECs) is sent without multiBeneficiario true.', catches: ['OLD-EC-PAY-07'] },
  { id: 'old-mb-cart-id-classic', description: 'A multi-beneficiary cart carries the classic identificativoCarrello Anno+idDominio+codiceSorgente+Progressivo instead of idDominio+numeroAvviso+"-"+Progressivo(5): the Nodo refuses it (V-08).', catches: ['OLD-EC-PAY-07'] },
  { id: 'old-manleva-no-iban-addebito', description: 'A cart for a payer with a manleva leaves ibanAddebito out of the RPTs: the PSP cannot identify the account to debit (L1529).', catches: ['OLD-EC-PAY-04'] },
  { id: 'old-manleva-own-iban', description: "A cart for a payer with a manleva puts the EC's own account (the first ibanAccredito) in ibanAddebito instead of the payer's IBAN (L1529).", catches: ['OLD-EC-PAY-04'] },
  { id: 'old-differito-as-failed', description: 'esito=DIFFERITO on the return page closes the payment as not paid; the RTs the PSP sends later are refused with PAA_SEMANTICA.', catches: ['OLD-EC-PAY-04', 'OLD-EC-PAY-01'] },
  { id: 'old-spont-same-iuv', description: 'paaChiediNumeroAvviso answers every spontaneous request with the last notice it created (its counter never moves on): two different debts get the same IUV.', catches: ['OLD-PSP-PAY-05'] },
  { id: 'old-spont-not-activatable', description: 'paaChiediNumeroAvviso answers a notice whose position is created with a due date a day early (born expired): the activation that follows is refused.', catches: ['OLD-PSP-PAY-05'] },
  { id: 'old-spont-unknown-ok', description: 'paaChiediNumeroAvviso with the data of a service the EC does not offer is answered OK (a position of its first service at a flat amount) instead of refused.', catches: ['OLD-PSP-PAY-05'] },
];

export function isOldEcDefect(x: string): x is OldEcDefect {
  return (OLD_EC_DEFECT_IDS as readonly string[]).includes(x);
}
