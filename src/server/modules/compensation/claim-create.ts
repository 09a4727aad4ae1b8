/**
 * A new claim of a customer in an incident, in the caller's transaction: the claim (proposed, version 1
 * at the amount the customer asks, or 0 when they name none), its first version, the `created` event in
 * the customer's words and the audit entry. Staff entering a claim (the console) and the customer filing
 * on the portal both come here; one claim per customer and incident (409 `compensation.claim_exists`).
 */
import type { Db } from '../../platform/db/types.js';
import { conflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import type { CustomerCard } from '../customer/index.js';
import type { IncidentRef } from '../incident/index.js';
import { newClaimRef } from './claim-ref.js';
import { type ClaimRow, customersWithClaims, insertClaims, insertVersions, proposedClaim } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { insertEvents } from './event.repository.js';

export interface NewClaim {
  ref: IncidentRef;
  card: CustomerCard;
  source: 'portal' | 'owner';
  /** What the customer asks (minor units); null: they name no amount. */
  claimedMinor: number | null;
  description: string;
  channel: string;
  ip: string | null;
  /** The staff member who entered it; null: the customer on the portal. */
  by: Principal | null;
  actor: Actor;
}

export function claimCreator(deps: Pick<CompensationDeps, 'audit' | 'clock'>, ctx: CompensationContext) {
  const { audit, clock } = deps;
  return async function createClaim(tx: Db, n: NewClaim): Promise<ClaimRow> {
    if ((await customersWithClaims(tx, n.ref.id, [n.card.id])).size > 0)
      throw conflict(`customer ${n.card.customerNo} has a claim in ${n.ref.key} already`, {
        code: 'compensation.claim_exists',
        params: { customerNo: n.card.customerNo, key: n.ref.key },
      });
    const now = clock.now();
    const userId = n.by?.user.id ?? null;
    const claim = proposedClaim(
      {
        id: newId(),
        ref: newClaimRef(),
        incident_id: n.ref.id,
        customer_id: n.card.id,
        source: n.source,
        amount_minor: n.claimedMinor ?? 0,
        currency: 'CNY',
        claimed_minor: n.claimedMinor,
        loss_minor: null,
        basis: 'claimed',
        goodwill_kind: null,
        goodwill_minor: null,
        run_id: null,
        created_by: userId,
      },
      now,
    );
    await insertClaims(tx, [claim]);
    await insertVersions(tx, [
      {
        claim_id: claim.id,
        version: 1,
        amount_minor: claim.amount_minor,
        currency: claim.currency,
        basis: claim.basis,
        goodwill_kind: null,
        reason: n.description,
        created_by: userId,
        created_at: now,
      },
    ]);
    await insertEvents(tx, [
      ctx.event(
        null,
        claim,
        {
          kind: 'created',
          speaker: 'customer',
          channel: n.channel,
          ip: n.ip,
          reason: n.description,
          amountMinor: n.claimedMinor,
        },
        n.by,
        now,
      ),
    ]);
    await audit.append(tx, n.actor, {
      action: 'compensation.claim_create',
      targetType: 'compensation_claim',
      targetId: claim.id,
      after: {
        ref: claim.ref,
        customerId: n.card.id,
        customerNo: n.card.customerNo,
        source: claim.source,
        claimedMinor: claim.claimed_minor,
        currency: claim.currency,
        ...(n.by ? {} : { channel: n.channel, ip: n.ip }),
      },
      incidents: [n.ref.id],
    });
    return claim;
  };
}
