// Who may call NodoPerPsp (OLD-X-AUTH-01, V-03..V-07): a PSP through its intermediary and channel with
// the channel's password — the same check as the new model's nodeForPsp (one place:
// interfaces/new/nodeForPsp/auth.ts, which reads the old field names too) — then, in this order:
//  - the identificativoDominio the request names (nodoInviaRT, revoca, storno …) known and enabled
//    PPT_DOMINIO_SCONOSCIUTO / PPT_DOMINIO_DISABILITATO
//  - nodoVerificaRPT / nodoAttivaRPT: codificaInfrastrutturaPSP a registered coding (TR-27, TR-28)
//    PPT_CODIFICA_PSP_SCONOSCIUTA
// The domain inside codiceIdRPT is routed by the Nodo's handler (its station, PPT_STAZIONE_INT_PA_*).
import type { Registry } from '../../../domain/registry.js';
import type { CallerMessage, Rejection } from '../../../src/wire/contract.js';
import { textOf } from '../../../src/wire/xml.js';
import { authenticatePsp } from '../../new/nodeForPsp/auth.js';

/** The codings of codiceIdRPT the Nodo knows (IdRPT_QR_Code, IdRPT_GS1_128, IdRPT_128_AIM). */
export const PSP_CODINGS = ['QR-CODE', 'BARCODE-GS1-128', 'BARCODE-128-AIM'] as const;

export function authenticateOldPsp(m: CallerMessage, reg: Registry): Rejection | undefined {
  const r = authenticatePsp(m, reg);
  if (r) return r;
  const d = textOf(m.body, 'identificativoDominio');
  if (d !== undefined) {
    const ec = reg.ecs.find((e) => e.fiscalCode === d);
    if (!ec) return { code: 'PPT_DOMINIO_SCONOSCIUTO', description: `identificativoDominio ${d} is not registered` };
    if (!ec.enabled) return { code: 'PPT_DOMINIO_DISABILITATO', description: `identificativoDominio ${d} is disabled` };
  }
  const coding = textOf(m.body, 'codificaInfrastrutturaPSP');
  if (coding !== undefined && !(PSP_CODINGS as readonly string[]).includes(coding)) {
    return { code: 'PPT_CODIFICA_PSP_SCONOSCIUTA', description: `codificaInfrastrutturaPSP ${coding} is not one of ${PSP_CODINGS.join(', ')}` };
  }
  return undefined;
}
