/** HTTP routes of one claim: detail, the negotiation steps, approval, mediation; the approval inbox; a customer's record. */
import { z } from 'zod';
import { Pagination } from '../../../shared/api-schemas.js';
import {
  AcceptBody,
  ClaimDetail,
  ClaimEventPage,
  ClaimNoticeList,
  ClaimPage,
  CounterBody,
  DeclineBody,
  MediationOutcomeBody,
  MediationRefer,
  OfferBody,
  StartAssessmentBody,
} from '../../../shared/compensation-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Compensation } from './compensation.module.js';

const tags = ['compensation'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const CLAIM = '/api/v1/compensation/claims/:id';

export function claimRoutes(c: Compensation): AnyRoute[] {
  const { claims, approvals, mediation } = c;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/compensation/inbox',
      summary: 'My approval inbox: accepted claims within my tier, not proposed nor approved by me (keyset pages)',
      tags,
      access: 'compensation.approve',
      query: Pagination,
      response: { status: 200, schema: ClaimPage },
      handler: ({ principal, query }) => approvals.inbox(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/compensation/customers/:id/events',
      summary: "A customer's compensation record across incidents: every claim step, newest first",
      tags,
      access: 'compensation.read',
      params: IdParams,
      query: Pagination,
      response: { status: 200, schema: ClaimEventPage },
      handler: ({ principal, params, query }) => claims.customerEvents(principal, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: CLAIM,
      summary: 'One claim with its versions, negotiation log, approvals and mediations',
      tags,
      access: 'compensation.read',
      params: IdParams,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params }) => claims.detail(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: `${CLAIM}/notices`,
      summary:
        "The notices to the claim's customer (offer, acceptance receipt, payment): sent, by which channel and language, or why not",
      tags,
      access: 'compensation.read',
      params: IdParams,
      response: { status: 200, schema: ClaimNoticeList },
      handler: ({ principal, params }) => c.claimNotices(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/assess`,
      summary: 'Start assessing a proposed claim',
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: StartAssessmentBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) =>
        claims.startAssessment(principal, params.id, body.note, { ip: req.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/offer`,
      summary: 'Offer an amount (a new version when it changes; after approval it needs approval again)',
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: OfferBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => claims.offer(principal, params.id, body, { ip: req.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/counter`,
      summary: "Record the customer's counter-offer (amount, reason, channel)",
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: CounterBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => claims.counter(principal, params.id, body, { ip: req.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/accept`,
      summary: "Record an acceptance: the customer's of the offer (by phone, say), or the firm's of a counter-offer",
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: AcceptBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => claims.accept(principal, params.id, body, { ip: req.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/decline`,
      summary:
        'Decline (the firm, or the customer the offer) — always with a goodwill gesture, the policy choosing one if none is given',
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: DeclineBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => claims.decline(principal, params.id, body, { ip: req.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/approve`,
      summary:
        'Approve an accepted claim within my tier (never my own proposal; two approvers above the two-person cap)',
      tags,
      access: 'compensation.approve',
      params: IdParams,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params }) => approvals.approve(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/mediation`,
      summary: 'Refer a claim to mediation, a complaint, arbitration or a court (body, case reference, date)',
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: MediationRefer,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => mediation.refer(principal, params.id, body, req.ip),
    }),
    defineRoute({
      method: 'POST',
      url: `${CLAIM}/mediation/outcome`,
      summary: 'Record the outcome of a mediation: settled or award (accepted at that amount), dismissed or withdrawn',
      tags,
      access: 'compensation.manage',
      params: IdParams,
      body: MediationOutcomeBody,
      response: { status: 200, schema: ClaimDetail },
      handler: ({ principal, params, body, req }) => mediation.outcome(principal, params.id, body, req.ip),
    }),
  ];
}
