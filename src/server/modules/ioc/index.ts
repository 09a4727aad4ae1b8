/** IOCs (issue 15, docs/iocs.md): per incident, extracted and entered; STIX 2.1, MISP, a read-only TAXII 2.1 collection. */
export { createIocService } from './ioc.service.js';
export { createTaxii } from './taxii.js';
export { createIocDetection } from './ioc-detection.service.js';
export { iocsOfFields } from './ioc-values.js';
