/** HTTP routes for probes and service health. */
import { z } from 'zod';
import {
  Probe,
  ProbeCreate,
  ProbeResult,
  ProbeUpdate,
  ServiceHealthDetail,
  ServiceHealthList,
} from '../../../shared/probe-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ProbeService } from './probe.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const KeyParams = z.strictObject({ key: z.string().min(1).max(63) });
const tags = ['probes'];

export function probeRoutes(deps: { probes: ProbeService }): AnyRoute[] {
  const { probes } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/services/:key/probes',
      summary: "A service's probes with their state and last result",
      tags,
      access: 'service.read',
      params: KeyParams,
      response: { status: 200, schema: z.object({ items: z.array(Probe) }) },
      handler: ({ principal, params }) => probes.list(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/services/:key/probes',
      summary: 'Add an HTTP or TCP probe to a service',
      tags,
      access: 'probe.manage',
      params: KeyParams,
      body: ProbeCreate,
      response: { status: 201, schema: Probe },
      handler: ({ principal, params, body }) => probes.create(principal, params.key, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/probes/:id',
      summary: 'Change a probe (a new target or enabling starts its verdict afresh)',
      tags,
      access: 'probe.manage',
      params: IdParams,
      body: ProbeUpdate,
      response: { status: 200, schema: Probe },
      handler: ({ principal, params, body }) => probes.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/probes/:id',
      summary: 'Delete a probe and its results',
      tags,
      access: 'probe.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => probes.remove(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/probes/:id/run',
      summary: 'Run a probe now and answer its result',
      tags,
      access: 'probe.manage',
      params: IdParams,
      response: { status: 200, schema: z.object({ result: ProbeResult, probe: Probe }) },
      handler: ({ principal, params }) => probes.runNow(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/services/:key/health',
      summary: "A service's health: state, since, each probe's state, latency and uptime, recent changes",
      tags,
      access: 'service.read',
      params: KeyParams,
      response: { status: 200, schema: ServiceHealthDetail },
      handler: ({ principal, params }) => probes.health(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/health/services',
      summary: 'Health of every service',
      tags,
      access: 'service.read',
      response: { status: 200, schema: ServiceHealthList },
      handler: ({ principal }) => probes.healthAll(principal),
    }),
  ] as AnyRoute[];
}
