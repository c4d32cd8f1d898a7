// The platform's service levels (SANP KPIs): how fast an answer, or the message that follows one,
// should come. Scenarios judge them as SHOULD on each sample they see.

/** An EC station answers within 2 s, 98 % of the month (NM-SLA-TO-02): one answer beyond it is a WARNING. */
export const EC_SERVICE_LEVEL_MS = 2000;
/** TPSPO: the PSP sends the outcome within 2 s of the end of the payment (NM-SLA-KPI-01). */
export const TPSPO_MS = 2000;
/** TNSPO: an accepted pspNotifyPayment is followed by the outcome within 2 s (NM-SLA-KPI-01, NM-EC-TO-01). */
export const TNSPO_MS = 2000;
/** TPNP: the PSP answers pspNotifyPayment within 2 s (NM-EC-TO-01). */
export const TPNP_MS = 2000;
