/**
 * Snapshots preserved as evidence in one click (issue 15): the incident's attack timeline and a response
 * action's connector request and response, each as one canonical JSON document (RFC 8785) like the alert
 * snapshot, its SHA-256 the document's. What a snapshot reads comes through ports (the attack-timeline
 * service, the action service), as the principal may see it.
 */
import { Readable } from 'node:stream';
import type { EvidenceItem } from '../../../shared/evidence-schemas.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { notFound } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { EvidenceContext, EvidenceDeps, ItemFacts } from './evidence-context.js';
import { cleanFileName } from './evidence-upload.js';

export function createEvidenceSnapshots(deps: EvidenceDeps, ctx: EvidenceContext) {
  const { store, blobs } = deps;

  async function keep(
    p: Principal,
    key: string,
    document: unknown,
    facts: Omit<ItemFacts, 'mediaType' | 'acquirerSha256' | 'sourceSystem'>,
    audited: Record<string, unknown>,
    ip: string | null,
  ): Promise<EvidenceItem> {
    const bytes = Buffer.from(canonicalJson(document), 'utf8');
    const blob = await blobs.put(Readable.from([bytes]), { maxBytes: deps.maxBytes });
    const row = await store.transaction(async (tx) =>
      ctx.record(
        tx,
        await ctx.visibleIncident(tx, p, key),
        blob,
        { ...facts, mediaType: 'application/json', sourceSystem: 'tocsin', acquirerSha256: null },
        { actor: actorOf(p), userId: p.user.id, ip },
        audited,
      ),
    );
    const ref = await ctx.visibleIncident(store.db, p, key);
    return (await ctx.views(store.db, [row], new Map([[ref.id, ref.key]])))[0]!;
  }

  return {
    /** The incident's attack timeline (every item, the marks, the entities) as one canonical JSON snapshot. */
    async preserveTimeline(p: Principal, key: string, ip: string | null): Promise<EvidenceItem> {
      assertCan(p, 'evidence.manage');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const timeline = await deps.attackTimeline.build(p, ref.key);
      return keep(
        p,
        ref.key,
        { format: 'tocsin.attack-timeline.v1', incidentKey: ref.key, timeline },
        {
          kind: 'timeline',
          fileName: cleanFileName(`${ref.key}-attack-timeline.json`),
          description: `Attack timeline of ${ref.key} with its ${timeline.items.length} item(s)`,
          acquisitionMethod: 'snapshot of the attack timeline (canonical JSON, RFC 8785)',
        },
        { items: timeline.items.length },
        ip,
      );
    },

    /** A response action of the incident with what was sent to the connector and what it answered. */
    async preserveAction(p: Principal, key: string, actionId: string, ip: string | null): Promise<EvidenceItem> {
      assertCan(p, 'evidence.manage');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const run = await deps.actions.get(p, actionId);
      if (run.incidentKey !== ref.key) throw notFound(`action ${actionId} in incident ${key}`);
      return keep(
        p,
        ref.key,
        { format: 'tocsin.connector-response.v1', incidentKey: ref.key, action: run },
        {
          kind: 'connector_response',
          fileName: cleanFileName(`action-${run.connector}-${run.action}-${actionId}.json`),
          description: `Action ${run.connector}.${run.action} (${run.state}) with the connector's request and response`,
          acquisitionMethod: 'snapshot of the action run and its connector response (canonical JSON, RFC 8785)',
        },
        { action: actionId, connector: run.connector, state: run.state },
        ip,
      );
    },
  };
}
