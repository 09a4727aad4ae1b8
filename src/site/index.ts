/** The public status site (issue 11): rendered on change, served from memory on the main and the public listener. */
export { createPublicSite, type PublicSite } from './public-site.js';
export { installPublicPages, type PublicRoutesInstaller } from './serve-pages.js';
export { buildPublicApp } from './public-listener.js';
export {
  acceptPortalForms,
  esc,
  type PortalCtx,
  type PortalLang,
  portalCtxOf,
  portalPage,
  pickText,
} from './portal-page.js';
