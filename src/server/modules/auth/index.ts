/** Auth module: sign-in, sessions, MFA, API tokens, and the principal every request carries. */
export { createAuthService, userActor, type AuthService } from './auth.service.js';
export { createTokenService, type TokenService } from './token.service.js';
export { actorOf, assertCan, can, SESSION_COOKIE, type Principal } from './principal.js';
export { createCredentialsService } from './credentials.service.js';
export { createThrottle, DEFAULT_THROTTLE, type Throttle, type ThrottlePolicy } from './throttle.js';
export { throttleAddress } from './throttle.js';
export { createSessionPolicyService } from './session-policy.service.js';
