/** HTTP routes of on-call: schedules with overrides, who is on call, shifts, iCalendar (and its feed), escalation policies. */
import { z } from 'zod';
import { isoTime } from '../../../shared/api-schemas.js';
import {
  OverrideInput,
  PolicyInput,
  PolicyView,
  ScheduleInput,
  ScheduleView,
  ShiftView,
} from '../../../shared/oncall-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { notFound } from '../../platform/errors.js';
import type { OncallAdmin } from './oncall-admin.service.js';

const tags = ['oncall'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const S = '/api/v1/oncall/schedules';
const P = '/api/v1/oncall/policies';
const Language = z.enum(['zh-CN', 'en']).optional();
const ICS = 'text/calendar; charset=utf-8';

export function oncallRoutes(deps: { oncall: OncallAdmin }): AnyRoute[] {
  const { oncall } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: S,
      summary: 'On-call schedules',
      tags,
      access: 'oncall.read',
      response: { status: 200, schema: z.object({ items: z.array(ScheduleView) }) },
      handler: ({ principal }) => oncall.listSchedules(principal),
    }),
    defineRoute({
      method: 'POST',
      url: S,
      summary: 'Create an on-call schedule (rotation layers, overrides; Asia/Shanghai unless a time zone is named)',
      tags,
      access: 'oncall.manage',
      body: ScheduleInput,
      response: { status: 201, schema: ScheduleView },
      handler: ({ principal, body }) => oncall.createSchedule(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${S}/:id`,
      summary: 'An on-call schedule',
      tags,
      access: 'oncall.read',
      params: IdParams,
      response: { status: 200, schema: ScheduleView },
      handler: ({ principal, params }) => oncall.getSchedule(principal, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${S}/:id`,
      summary: 'Replace an on-call schedule',
      tags,
      access: 'oncall.manage',
      params: IdParams,
      body: ScheduleInput,
      response: { status: 200, schema: ScheduleView },
      handler: ({ principal, params, body }) => oncall.updateSchedule(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${S}/:id`,
      summary: 'Delete an on-call schedule no escalation policy uses',
      tags,
      access: 'oncall.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => oncall.deleteSchedule(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${S}/:id/overrides`,
      summary: 'Add an override (it wins over the rotation and earlier overrides)',
      tags,
      access: 'oncall.manage',
      params: IdParams,
      body: OverrideInput,
      response: { status: 201, schema: ScheduleView },
      handler: ({ principal, params, body }) => oncall.addOverride(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${S}/:id/overrides/:index`,
      summary: 'Remove an override (by its position in the list)',
      tags,
      access: 'oncall.manage',
      params: z.strictObject({ id: z.string().min(1).max(64), index: z.coerce.number().int().min(0).max(499) }),
      response: { status: 200, schema: ScheduleView },
      handler: ({ principal, params }) => oncall.removeOverride(principal, params.id, params.index),
    }),
    defineRoute({
      method: 'GET',
      url: `${S}/:id/now`,
      summary: 'Who is on call now',
      tags,
      access: 'oncall.read',
      params: IdParams,
      response: {
        status: 200,
        schema: z.object({ at: z.string(), person: z.string().nullable(), personName: z.string().nullable() }),
      },
      handler: ({ principal, params }) => oncall.now(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: `${S}/:id/shifts`,
      summary: "A schedule's shifts from `from` to `to` (at most 62 days)",
      tags,
      access: 'oncall.read',
      params: IdParams,
      query: z.strictObject({ from: isoTime, to: isoTime }),
      response: { status: 200, schema: z.object({ items: z.array(ShiftView) }) },
      handler: ({ principal, params, query }) =>
        oncall.shifts(principal, params.id, Date.parse(query.from), Date.parse(query.to)),
    }),
    defineRoute({
      method: 'GET',
      url: `${S}/:id/calendar.ics`,
      summary: "A schedule's shifts as iCalendar (a week back, eight weeks ahead; one person's with ?person=)",
      tags,
      access: 'oncall.read',
      params: IdParams,
      query: z.strictObject({ person: z.string().min(1).max(64).optional(), language: Language }),
      response: { status: 200, contentType: 'text/calendar' },
      handler: async ({ principal, params, query, reply }) =>
        reply.type(ICS).send(await oncall.calendar(principal, params.id, query)),
    }),
    defineRoute({
      method: 'POST',
      url: `${S}/:id/feed-token`,
      summary: "Make or replace the schedule's calendar feed URL (the old one stops working)",
      tags,
      access: 'oncall.manage',
      params: IdParams,
      response: { status: 200, schema: ScheduleView },
      handler: ({ principal, params }) => oncall.resetFeed(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/oncall/feeds/:token',
      summary: 'The calendar feed of a schedule, for calendar apps: no session, the token in the URL is the key',
      tags,
      access: 'public',
      params: z.strictObject({ token: z.string().min(16).max(100) }),
      query: z.strictObject({ language: Language }),
      response: { status: 200, contentType: 'text/calendar' },
      handler: async ({ params, query, reply }) => {
        const ics = await oncall.feed(params.token, query.language);
        if (ics === null) throw notFound('calendar feed');
        return reply.type(ICS).header('cache-control', 'no-store').send(ics);
      },
    }),
    defineRoute({
      method: 'GET',
      url: P,
      summary: 'Escalation policies',
      tags,
      access: 'oncall.read',
      response: { status: 200, schema: z.object({ items: z.array(PolicyView) }) },
      handler: ({ principal }) => oncall.listPolicies(principal),
    }),
    defineRoute({
      method: 'POST',
      url: P,
      summary: 'Create an escalation policy (levels of schedules or people, a wait per level, repeats)',
      tags,
      access: 'oncall.manage',
      body: PolicyInput,
      response: { status: 201, schema: PolicyView },
      handler: ({ principal, body }) => oncall.createPolicy(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${P}/:id`,
      summary: 'An escalation policy',
      tags,
      access: 'oncall.read',
      params: IdParams,
      response: { status: 200, schema: PolicyView },
      handler: ({ principal, params }) => oncall.getPolicy(principal, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${P}/:id`,
      summary: 'Replace an escalation policy (pages already raised keep the policy they were raised with)',
      tags,
      access: 'oncall.manage',
      params: IdParams,
      body: PolicyInput,
      response: { status: 200, schema: PolicyView },
      handler: ({ principal, params, body }) => oncall.updatePolicy(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${P}/:id`,
      summary: 'Delete an escalation policy',
      tags,
      access: 'oncall.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => oncall.deletePolicy(principal, params.id),
    }),
  ];
}
