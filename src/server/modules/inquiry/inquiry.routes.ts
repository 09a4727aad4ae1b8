/** HTTP routes of customer inquiries: the call centre's intake, the staff inbox, the war room's numbers. */
import { z } from 'zod';
import {
  CannedAnswerList,
  CustomerInquiryDetail,
  CustomerInquiryList,
  InquiryAnswer,
  InquiryAssign,
  InquiryCreate,
  InquiryNote,
  InquiryQuery,
  InquiryStats,
} from '../../../shared/inquiry-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { InquiryInbox } from './inquiry-inbox.service.js';

const tags = ['inquiries'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});

export function inquiryRoutes(inbox: InquiryInbox): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/inquiries',
      summary:
        "Log a customer's question (call centre by token, or staff); the same question again counts (`repeated`)",
      tags,
      access: 'inquiry.create',
      body: InquiryCreate,
      response: { status: 201, schema: CustomerInquiryDetail.extend({ repeated: z.boolean() }) },
      handler: ({ principal, body }) => inbox.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inquiries',
      summary: 'The inbox of customer inquiries, newest first (filters: status, incident, assignee, overdue)',
      tags,
      access: 'inquiry.read',
      query: InquiryQuery,
      response: { status: 200, schema: CustomerInquiryList },
      handler: ({ principal, query }) => inbox.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inquiries/:id',
      summary: 'One customer inquiry with its thread (contact masked)',
      tags,
      access: 'inquiry.read',
      params: IdParams,
      response: { status: 200, schema: CustomerInquiryDetail },
      handler: ({ principal, params }) => inbox.get(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/inquiries/:id/canned-answers',
      summary: "The published FAQ answers of the inquiry's incident, as canned answers",
      tags,
      access: 'inquiry.read',
      params: IdParams,
      response: { status: 200, schema: CannedAnswerList },
      handler: ({ principal, params }) => inbox.canned(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inquiries/:id/assign',
      summary: 'Assign an inquiry to a staff member (null: unassign)',
      tags,
      access: 'inquiry.manage',
      params: IdParams,
      body: InquiryAssign,
      response: { status: 200, schema: CustomerInquiryDetail },
      handler: ({ principal, params, body }) => inbox.assign(principal, params.id, body.assigneeId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inquiries/:id/answer',
      summary: 'Answer an inquiry (free text or a published FAQ answer); the customer sees it on /help/check',
      tags,
      access: 'inquiry.manage',
      params: IdParams,
      body: InquiryAnswer,
      response: { status: 200, schema: CustomerInquiryDetail },
      handler: ({ principal, params, body }) => inbox.answer(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inquiries/:id/notes',
      summary: 'Add a staff note to the thread (never shown to the customer)',
      tags,
      access: 'inquiry.manage',
      params: IdParams,
      body: InquiryNote,
      response: { status: 201, schema: CustomerInquiryDetail },
      handler: ({ principal, params, body }) => inbox.note(principal, params.id, body.body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/inquiries/:id/close',
      summary: 'Close an inquiry',
      tags,
      access: 'inquiry.manage',
      params: IdParams,
      response: { status: 200, schema: CustomerInquiryDetail },
      handler: ({ principal, params }) => inbox.close(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/inquiry-stats',
      summary: "The war room's numbers of customer inquiries: volume per hour, SLA breaches, CSAT, top topics",
      tags,
      access: 'inquiry.read',
      params: KeyParams,
      response: { status: 200, schema: InquiryStats },
      handler: ({ principal, params }) => inbox.stats(principal, params.key),
    }),
  ];
}
