// The faults a PSP's channel answers the Nodo with (PspPerNodo faultBean, the erogatore CANALE):
// one table for every PSP of the old model, the harness's emulated one and the reference candidate.

/** faultString of each CANALE_* code (catalogue §4.3, seed L955-969 and the storno/revoca tables). */
export const CANALE_FAULTS: Readonly<Record<string, string>> = {
  CANALE_INDISPONIBILE: 'Servizio non disponibile',
  CANALE_RICHIEDENTE_ERRATO: 'Identificativo richiedente non valido',
  CANALE_RPT_DUPLICATA: 'RPT duplicata',
  CANALE_RPT_RIFIUTATA: 'RPT rifiutata',
  CANALE_RPT_SCONOSCIUTA: 'RPT sconosciuta',
  CANALE_RT_NON_DISPONIBILE: 'RT non ancora disponibile',
  CANALE_RT_SCONOSCIUTA: 'RT sconosciuta',
  CANALE_SEMANTICA: 'Errore semantico',
  CANALE_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD',
  CANALE_SINTASSI_XSD: 'Errore di sintassi XSD',
  CANALE_SYSTEM_ERROR: 'Errore generico',
  CANALE_OPER_NON_STORNABILE: 'Operazione non stornabile',
  CANALE_RR_DUPLICATA: 'RR duplicata',
  CANALE_ER_DUPLICATA: 'ER duplicata',
  CANALE_RR_SCONOSCIUTA: 'RR sconosciuta',
};
