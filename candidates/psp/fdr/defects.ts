// Reconciliation defects of the reference PSP (issue 12, Deliver 7): each a way PSPs have been seen
// to report a flow wrong, visible on the wire or in the published flow, naming the requirement ids it
// violates. New-model switches are part of PSP_DEFECTS (../defects.ts), old-model ones of
// OLD_PSP_DEFECTS (../old/defects.ts), so the seat's mutant runs meet them to the FdR scenarios.

export const FDR_NEW_DEFECTS = [
  { id: 'fdr-wrong-sum', description: 'declares sumPayments / importoTotalePagamenti one cent above the sum of its lines (the platform refuses the flow: FDR-4002 / PPT_SEMANTICA, so its payments are never reported)', catches: ['NM-FDR-VAL-03', 'NM-SLA-KPI-03'] },
  { id: 'fdr-line-missing', description: 'leaves the first collection of the day out of the flow (totals match the lines it sent)', catches: ['NM-FDR-VAL-02', 'NM-FDR-VAL-03', 'NM-SLA-KPI-03'] },
  { id: 'fdr-line-twice', description: 'reports the first collection of the day twice in the flow', catches: ['NM-FDR-VAL-02', 'NM-FDR-VAL-03'] },
  { id: 'fdr-bad-id', description: 'names its flow "FLUSSO/<day>/<idPSP>" instead of <YYYY-MM-DD><idPSP>-<unique> ([a-zA-Z0-9-_] only)', catches: ['NM-FDR-VAL-01', 'NM-SLA-KPI-03'] },
  { id: 'fdr-reused-id', description: 'gives every flow after its first the first flow\'s identifier (a flow for another EC overwrites it)', catches: ['NM-FDR-VAL-01'] },
  { id: 'fdr-regulation-before-payment', description: 'writes dataRegolamento / regulationDate the day before the payment day', catches: ['NM-FDR-TO-01'] },
  { id: 'fdr-late', description: 'reports the flow three days late (after 24:00 of D+2)', catches: ['NM-FDR-TO-01', 'NM-SLA-KPI-03'] },
  { id: 'fdr-upload-date-only', description: 'sends nodoInviaFlussoRendicontazione with dataOraFlusso as a date without its time (not an xsd:dateTime: the Nodo refuses the upload)', catches: ['IF-nodoInviaFlussoRendicontazione-F07'] },
  { id: 'fdr-revision-late', description: 'sends a correction (a new revision) a week after the payment day, past D+4', catches: ['NM-FDR-TO-02'] },
  { id: 'fdr-standin-as-0', description: 'reports a payment served in Stand-In (standin=true, receipt standIn=true) with code 0 (EXECUTED) instead of 4 (STAND_IN)', catches: ['NM-SI-PAY-01', 'NM-FDR-VAL-04'] },
  { id: 'fdr-expired-as-0', description: 'reports a collection whose OK outcome the Nodo refused (PPT_TOKEN_SCADUTO: the token expired and another PSP paid the notice) with code 0, as if a receipt existed, instead of reversing it', catches: ['NM-PSPPAY-CONC-02', 'NM-FDR-VAL-04'] },
] as const;

export const FDR_OLD_DEFECTS = [
  { id: 'old-fdr-no-rpt-as-0', description: 'reports a payment collected without RPT (no RT) with codiceEsitoSingoloPagamento 0 instead of 9', catches: ['OLD-FDR-04', 'OLD-PSP-ERR-08'] },
  { id: 'old-fdr-wrong-sum', description: 'declares importoTotalePagamenti one cent above the sum of its lines (the Nodo refuses the flow)', catches: ['OLD-FDR-01'] },
  { id: 'old-fdr-line-missing', description: 'leaves the first RT of the day out of the flow', catches: ['OLD-FDR-01', 'OLD-FDR-03'] },
  { id: 'old-fdr-revoked-as-0', description: 'reports an RT the EC agreed to revoke (charge-back, positive ER) with codiceEsitoSingoloPagamento 0, as if it had never been revoked', catches: ['OLD-FDR-05'] },
  { id: 'old-fdr-resend-on-timeout', description: 'after an upload without answer sends the same flow again at once instead of asking its state (nodoChiediStatoFlussoRendicontazione)', catches: ['OLD-FDR-ERR-07'] },
] as const;

export type FdrNewDefect = (typeof FDR_NEW_DEFECTS)[number]['id'];
export type FdrOldDefect = (typeof FDR_OLD_DEFECTS)[number]['id'];
/** a behaviour switch of the flow book and reporter, whichever model's list it comes from */
export type FdrDefect = FdrNewDefect | 'fdr-no-rpt-as-0' | 'fdr-resend-on-timeout' | 'fdr-revoked-as-0';

/** The behaviours the defect ids switch on for a model's flows (an old-model id names its behaviour without the prefix). */
export function fdrBehaviours(ids: Iterable<string>, model: 'new' | 'old'): Set<FdrDefect> {
  const list: readonly { id: string }[] = model === 'new' ? FDR_NEW_DEFECTS : FDR_OLD_DEFECTS;
  const out = new Set<FdrDefect>();
  for (const id of ids) if (list.some((d) => d.id === id)) out.add(id.replace(/^old-/, '') as FdrDefect);
  return out;
}
