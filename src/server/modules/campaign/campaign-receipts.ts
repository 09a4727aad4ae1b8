/**
 * Delivery receipts from the notify gateway (`POST /api/v1/campaign-receipts/:gatewayId`, no session):
 * the body is signed like Tocsin's requests (HMAC-SHA256 over `timestamp.body` with the shared secret);
 * a bad signature is 401, a timestamp more than 5 minutes away 401 (a replay), and a receipt applied
 * twice changes nothing the second time (a message moves from sent only).
 */
import { CampaignReceipt } from '../../../shared/campaign-schemas.js';
import { invalid, notFound, unauthorized } from '../../platform/errors.js';
import type { CampaignDeps } from './campaign-context.js';
import { applyReceipt } from './campaign-message.repository.js';
import { RECEIPT_WINDOW_S, signatureValid } from './notify-gateway.js';

export function createReceipts(deps: CampaignDeps) {
  return {
    async receive(
      gatewayId: string,
      raw: string,
      headers: { signature?: string; timestamp?: string },
    ): Promise<{ applied: boolean }> {
      const gateway = deps.gateway;
      if (gatewayId !== 'default' || !gateway) throw notFound(`notify gateway ${gatewayId}`);
      const { signature, timestamp } = headers;
      if (!signature || !timestamp || !signatureValid(gateway.secret, timestamp, raw, signature))
        throw unauthorized('the receipt signature does not verify');
      if (
        !/^\d{1,12}$/.test(timestamp) ||
        Math.abs(Number(timestamp) * 1000 - deps.clock.now()) > RECEIPT_WINDOW_S * 1000
      )
        throw unauthorized('the receipt timestamp is outside the 5-minute window (a replay?)');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw invalid('the receipt is not JSON');
      }
      const parsed = CampaignReceipt.safeParse(body);
      if (!parsed.success) throw invalid('the receipt is not {id, idempotencyKey, status, at}');
      const r = parsed.data;
      const now = deps.clock.now();
      const row = await deps.store.transaction(
        (tx) =>
          applyReceipt(tx, {
            idempotencyKey: r.idempotencyKey,
            gatewayId: r.id,
            status: r.status,
            at: Date.parse(r.at),
            now,
          }),
        { audited: false },
      );
      return { applied: row !== undefined };
    },
  };
}
