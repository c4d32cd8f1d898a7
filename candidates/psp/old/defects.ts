// Defect switches of the reference PSP's old-model side (same pattern as ../defects.ts, a list of its
// own): each switch changes one behaviour an old-model PSP has been seen to ship, shows on the wire
// (or on the payment page), and names in `catches` the OLD-* requirements (ids with a `psp` level in
// index-old-model.json) it violates. `rtMode` marks a switch that shows only on a channel of that mode
// (push: the TR-08 retries; pull: the channel configured for PULL): a mutant run on a profile whose
// channel works the other way leaves it out, with the reason (seats/index.ts defectOffProfile).

import { FDR_OLD_DEFECTS } from '../fdr/defects.js';

export const OLD_PSP_DEFECTS = [
  { id: 'old-rt-no-retry', rtMode: 'push', description: 'An RT push without answer is never sent again: no TR-08 retries, no PULL fall-back either.', catches: ['OLD-RT-RETRY-02', 'OLD-RT-RETRY-03', 'OLD-PSP-ERR-13'] },
  { id: 'old-rt-retry-changed', rtMode: 'push', description: 'Each retry of an unanswered RT push carries a newly built RT (new identificativoMessaggioRicevuta and dataOraMessaggioRicevuta) instead of the same one.', catches: ['OLD-RT-RETRY-02'] },
  { id: 'old-rt-retry-fast', rtMode: 'push', description: 'Retries an unanswered RT push every second instead of waiting 5, 10, 20, 40, 80 s (TR-08).', catches: ['OLD-RT-RETRY-02', 'OLD-RT-RETRY-03'] },
  { id: 'old-rt-retry-forever', rtMode: 'push', description: 'Keeps re-pushing an unanswered RT well past the TR-08 table (12 sends) instead of parking it for PULL.', catches: ['OLD-RT-RETRY-03', 'OLD-PSP-ERR-13'] },
  { id: 'old-rt-duplicate-loop', rtMode: 'push', description: 'Reads PPT_RT_DUPLICATA as a failure and re-sends the same RT on the retry table (the Nodo already has it).', catches: ['OLD-PSP-ERR-11'] },
  { id: 'old-rt-no-pull', rtMode: 'push', description: 'After the last unanswered retry the RT is dropped: it never appears in pspChiediListaRT.', catches: ['OLD-RT-RETRY-03', 'OLD-PSP-ERR-13'] },
  { id: 'old-rt-station-down-dropped', rtMode: 'push', description: 'On PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE the RT is given up instead of being put in the PULL queue.', catches: ['OLD-RT-RETRY-01', 'OLD-PSP-ERR-16'] },
  { id: 'old-pull-ack-ignored', description: 'pspInviaAckRT ACTC is answered OK but the RT stays in the PULL list (listed again by pspChiediListaRT).', catches: ['OLD-RT-PULL-01'] },
  { id: 'old-pull-drop-on-fetch', description: 'The RT leaves the PULL list as soon as pspChiediRT fetched it, before any ACTC.', catches: ['OLD-RT-PULL-01', 'OLD-RT-PULL-02'] },
  { id: 'old-pull-pushed', rtMode: 'pull', description: 'On a channel configured for PULL the RT is pushed with nodoInviaRT (TR-08 retries) as on a PUSH channel: it never waits in the PULL queue for the Nodo.', catches: ['OLD-RT-PULL-01'] },
  { id: 'old-pull-listed-not-given', description: 'pspChiediListaRT lists the RT but pspChiediRT answers KO CANALE_RT_NON_DISPONIBILE for it: the Nodo can never take it.', catches: ['OLD-RT-PULL-01'] },
  { id: 'old-pull-dequeue-on-list', description: 'pspChiediListaRT hands each RT out once (a consumed message queue): an RT listed but not yet acknowledged ACTC is missing from the next list.', catches: ['OLD-RT-PULL-01'] },
  { id: 'old-pull-rjct-breaks-list', description: 'After an RJCT the PULL queue breaks: pspChiediListaRT answers KO CANALE_SYSTEM_ERROR.', catches: ['OLD-RT-PULL-02'] },
  { id: 'old-pull-rjct-ko', description: 'pspInviaAckRT with RJCT is answered KO (CANALE_SEMANTICA) instead of esito OK (L2387).', catches: ['OLD-RT-PULL-02'] },
  { id: 'old-rt-amount-differs', description: 'The positive RT pays 1.00 more than the RPT (importoTotalePagato and singoloImportoPagato).', catches: ['OLD-PSP-PAY-01', 'OLD-EC-ERR-07'] },
  { id: 'old-rt-wrong-iuv', description: 'The RT carries another IUV than its RPT (the last digit changed).', catches: ['OLD-PSP-PAY-01', 'OLD-EC-ERR-07'] },
  { id: 'old-rt-wrong-ccp', description: 'The RT carries the PSP\'s own payment reference as CodiceContestoPagamento instead of the RPT\'s CCP.', catches: ['OLD-PSP-PAY-01', 'OLD-EC-ERR-07'] },
  { id: 'old-rt-wrong-dates', description: 'riferimentoDataRichiesta is the RT\'s own date (the day after) instead of the date of the RPT.', catches: ['OLD-PSP-PAY-01', 'OLD-EC-ERR-07'] },
  { id: 'old-no-negative-rt', description: 'A payment the payer cancelled (or did not authorise) gets no RT at all instead of a negative one.', catches: ['OLD-PSP-PAY-04', 'OLD-EC-ERR-07'] },
  { id: 'old-positive-rt-on-cancel', description: 'A payment the payer cancelled gets a positive RT (a payment the PSP did not make).', catches: ['OLD-PSP-PAY-04', 'OLD-PSP-ERR-12'] },
  { id: 'old-redirect-missing', description: 'pspInviaCarrelloRPT is answered OK without parametriPagamentoImmediato (no page to send the payer to) although the channel pays by redirect.', catches: ['OLD-EC-PAY-03'] },
  { id: 'old-rpt-duplicate-accepted', description: 'An RPT already received (same EC, IUV, CCP) is accepted again instead of CANALE_RPT_DUPLICATA.', catches: ['OLD-PSP-ERR-09'] },
  { id: 'old-rpt-invalid-accepted', description: 'An RPT that breaks the rules (after an activation: tipoVersamento not PO, another CCP; any RPT: wrong sums, no IBAN) is accepted instead of CANALE_SEMANTICA.', catches: ['OLD-PSP-ERR-10'] },
  { id: 'old-refused-rpt-no-rt', description: 'An RPT refused by the PSP gets no negative RT afterwards.', catches: ['OLD-PSP-ERR-10'] },
  { id: 'old-amount-not-corrected', description: 'After PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO the activation is repeated with the same (printed) amount instead of the one datiPagamentoPA returned.', catches: ['OLD-PSP-ERR-07'] },
  { id: 'old-activate-after-refusal', description: 'After a PPT_ERRORE_EMESSO_DA_PAA (PAA_PAGAMENTO_DUPLICATO, _IN_CORSO …) the PSP activates again with a new CCP instead of stopping.', catches: ['OLD-PSP-ERR-03', 'OLD-PSP-ERR-04', 'OLD-PSP-ERR-02'] },
  { id: 'old-verify-only-activates', description: 'A verification the payer declined is followed by nodoAttivaRPT all the same.', catches: ['OLD-PSP-PAY-03'] },
  { id: 'old-er-wrong-codes', description: 'The storno ER names another IUR and revokes 1.00 more than the RR asked.', catches: ['OLD-STO-01', 'OLD-STO-ERR-03'] },
  { id: 'old-storno-no-er', description: 'pspInviaRichiestaStorno is answered OK but no ER ever follows with nodoInviaEsitoStorno.', catches: ['OLD-STO-01'] },
  { id: 'old-rr-duplicate-accepted', description: 'A storno RR already received is answered OK again instead of CANALE_RR_DUPLICATA.', catches: ['OLD-STO-ERR-02'] },
  { id: 'old-er-unchecked', description: 'pspInviaRispostaRevoca is answered OK for an ER already received or one that answers no RR of the PSP (no CANALE_ER_DUPLICATA / CANALE_RR_SCONOSCIUTA).', catches: ['OLD-REV-ERR-04'] },
  { id: 'old-revoca-without-tipo', description: 'The RR of a revoca carries no tipoRevoca (the PSP\'s RR must name it: 1 annullo tecnico, 2 charge-back).', catches: ['OLD-REV-AT-01', 'OLD-REV-ERR-01'] },
  { id: 'old-annullo-no-replacing-rt', description: 'After the EC\'s ER to an annullo tecnico the PSP never sends the replacing RT with forzaControlloSegno 1.', catches: ['OLD-REV-AT-01', 'OLD-REV-AT-02'] },
  { id: 'old-auth-redirect-given', description: 'A cart on the modello-2 channel (authorisation managed by the PSP) is answered with parametriPagamentoImmediato, as if the payer were to pay on a page (L1502: the redirect URL is null).', catches: ['OLD-EC-PAY-04'] },
  { id: 'old-auth-rt-never-pushed', description: 'The payer authorises a modello-2 payment at the PSP (home banking, app) but no RT ever follows.', catches: ['OLD-EC-PAY-04'] },
  { id: 'old-auth-manleva-ignored', description: 'A modello-2 cart whose RPTs carry ibanAddebito (a manleva: pre-authorised, L1529) waits for the payer to authorise like any other instead of being debited at once.', catches: ['OLD-EC-PAY-04'] },
  { id: 'old-progress-unknown-ok', description: 'pspChiediAvanzamentoRPT for an RPT the PSP never received is answered OK instead of CANALE_RPT_SCONOSCIUTA.', catches: ['OLD-RT-ADV-02'] },
  { id: 'old-spont-no-catalogue', description: 'A spontaneous payment skips the Catalogo dei Servizi: nodoChiediNumeroAvviso is sent without nodoChiediCatalogoServizi first (a service the Nodo may not list).', catches: ['OLD-REC-PSP-01', 'OLD-PSP-PAY-05'] },
  { id: 'old-spont-amount-differs', description: 'A spontaneous notice is activated with 1.00 more than the amount datiPagamentoPA of nodoChiediNumeroAvviso gave.', catches: ['OLD-PSP-PAY-05'] },
  { id: 'old-spont-wrong-service', description: 'nodoChiediNumeroAvviso names another idServizio than the catalogue\'s service the payer chose (its last digit changed).', catches: ['OLD-PSP-PAY-05'] },
  { id: 'old-informativa-no-template', description: 'Asked for the informative documents, the PSP reads the ECs\' Tabella delle Controparti but never asks its own catalogue\'s template (nodoChiediTemplateInformativaPSP).', catches: ['OLD-REC-PSP-03'] },
  { id: 'old-informativa-wrong-ec', description: 'nodoChiediInformativaPA names another EC than the one asked (its fiscal code\'s last digit changed).', catches: ['OLD-REC-PSP-06'] },
  // reconciliation (FdR): ../fdr/defects.ts
  ...FDR_OLD_DEFECTS,
] as const;

export type OldPspDefect = (typeof OLD_PSP_DEFECTS)[number]['id'];
export type OldPspDefectInfo = (typeof OLD_PSP_DEFECTS)[number];

/** The RT mode a switch needs of the channel (undefined: either). */
export function oldPspDefectRtMode(id: string): 'push' | 'pull' | undefined {
  const d = OLD_PSP_DEFECTS.find((x) => x.id === id);
  return d && 'rtMode' in d ? d.rtMode : undefined;
}
export const OLD_PSP_DEFECT_IDS: readonly OldPspDefect[] = OLD_PSP_DEFECTS.map((d) => d.id);

export function isOldPspDefect(x: string): x is OldPspDefect {
  return (OLD_PSP_DEFECT_IDS as readonly string[]).includes(x);
}
