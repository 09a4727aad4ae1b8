/** Identity module: sign-in through the firm's directory (OIDC, LDAP / AD), roles from groups, re-checks, break-glass notices. */
export { createIdentityService, type IdentityService } from './identity.service.js';
export { createDirectorySignIn } from './identity-signin.js';
export { createOidcClient } from './oidc.js';
export { createScimService } from './scim.service.js';
