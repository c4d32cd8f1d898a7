// The field rules of the EC's flow reads on nodeForPa (IF-nodoChiedi*Rendicontazione-F01…F05), judged
// by suites/request-fields.ts judgeRequestFields.
import type { RequestFields } from '../../request-fields.js';

export const LIST_FIELDS: RequestFields = {
  op: 'nodoChiediElencoFlussiRendicontazione',
  fields: {
    'IF-nodoChiediElencoFlussiRendicontazione-F01': 'identificativoIntermediarioPA',
    'IF-nodoChiediElencoFlussiRendicontazione-F02': 'identificativoStazioneIntermediarioPA',
    'IF-nodoChiediElencoFlussiRendicontazione-F03': 'password',
    'IF-nodoChiediElencoFlussiRendicontazione-F04': 'identificativoDominio',
    'IF-nodoChiediElencoFlussiRendicontazione-F05': 'identificativoPSP',
  },
  caller: ['IF-nodoChiediElencoFlussiRendicontazione-F01', 'IF-nodoChiediElencoFlussiRendicontazione-F02', 'IF-nodoChiediElencoFlussiRendicontazione-F03'],
};

// its identificativoFlusso has no rule id of its own in the catalogue: the schema still validates it
export const READ_FIELDS: RequestFields = {
  op: 'nodoChiediFlussoRendicontazione',
  fields: {
    'IF-nodoChiediFlussoRendicontazione-F01': 'identificativoIntermediarioPA',
    'IF-nodoChiediFlussoRendicontazione-F02': 'identificativoStazioneIntermediarioPA',
    'IF-nodoChiediFlussoRendicontazione-F03': 'password',
    'IF-nodoChiediFlussoRendicontazione-F04': 'identificativoDominio',
    'IF-nodoChiediFlussoRendicontazione-F05': 'identificativoPSP',
  },
  caller: ['IF-nodoChiediFlussoRendicontazione-F01', 'IF-nodoChiediFlussoRendicontazione-F02', 'IF-nodoChiediFlussoRendicontazione-F03'],
};
