/** Catalog module: the firm's business services. */
export { createCatalogService, type CatalogService } from './catalog.service.js';
