/** The media desk's services, built once from their dependencies (compose.ts). */
import { createFactService } from './fact.service.js';
import { createFaqService } from './faq.service.js';
import { createInquiryService } from './inquiry.service.js';
import { mediaContext, type MediaDeps } from './media-context.js';
import { createPublicFacts, type FactChecker, type PublicFacts } from './public-facts.js';

export function createMedia(deps: MediaDeps) {
  const ctx = mediaContext(deps);
  const ports = createPublicFacts();
  const publicFacts: PublicFacts = ports;
  const factChecker: FactChecker = ports;
  return {
    facts: createFactService(deps, ctx),
    inquiries: createInquiryService(deps, ctx),
    faq: createFaqService(deps, ctx),
    /** For the status module's snapshot (published entries only). */
    publicFacts,
    /** For statements: drafts that repeat a claim marked false. */
    factChecker,
  };
}
