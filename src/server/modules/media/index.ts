/** Media module: the rumor-vs-fact register, media inquiries, FAQ entries, and their ports to the status site and statements. */
export { createMedia } from './media.service.js';
export type { FactChecker, PublicFacts } from './public-facts.js';
