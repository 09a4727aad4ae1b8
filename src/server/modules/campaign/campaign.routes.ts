/** HTTP routes of customer campaigns, and the notify gateway's receipt endpoint (no session, signed). */
import { z } from 'zod';
import {
  Campaign,
  CampaignCreate,
  CampaignList,
  CampaignMessage,
  CampaignMessagePage,
  CampaignMessagesQuery,
  CampaignPreview,
  CampaignPreviewQuery,
  CampaignReceipt,
} from '../../../shared/campaign-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { createReceipts } from './campaign-receipts.js';
import type { CampaignService } from './campaign.service.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './notify-gateway.js';

const tags = ['campaigns'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const MessageParams = IdParams.extend({ messageId: z.string().min(1).max(64) });
const GatewayParams = z.strictObject({ gatewayId: z.string().min(1).max(64) });

export function campaignRoutes(deps: {
  campaigns: CampaignService;
  receipts: ReturnType<typeof createReceipts>;
}): AnyRoute[] {
  const { campaigns, receipts } = deps;
  const action = (
    url: string,
    summary: string,
    fn: (p: Parameters<CampaignService['launch']>[0], id: string) => Promise<Campaign>,
  ) =>
    defineRoute({
      method: 'POST',
      url,
      summary,
      tags,
      access: 'campaign.launch',
      params: IdParams,
      response: { status: 200, schema: Campaign },
      handler: ({ principal, params }) => fn(principal, params.id),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/campaigns',
      summary: "An incident's customer campaigns (newest first)",
      tags,
      access: 'campaign.read',
      params: KeyParams,
      response: { status: 200, schema: CampaignList },
      handler: ({ principal, params }) => campaigns.listForIncident(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/campaigns',
      summary: 'Create a campaign (draft) sending an approved customer notice to an audience',
      tags,
      access: 'campaign.manage',
      params: KeyParams,
      body: CampaignCreate,
      response: { status: 201, schema: Campaign },
      handler: ({ principal, params, body }) => campaigns.create(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/campaigns/:id',
      summary: 'One campaign as it is now',
      tags,
      access: 'campaign.read',
      params: IdParams,
      response: { status: 200, schema: Campaign },
      handler: ({ principal, params }) => campaigns.get(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/campaigns/:id/preview',
      summary: "One customer's message as it would be sent (channel, language, text)",
      tags,
      access: 'campaign.read',
      params: IdParams,
      query: CampaignPreviewQuery,
      response: { status: 200, schema: CampaignPreview },
      handler: ({ principal, params, query }) => campaigns.preview(principal, params.id, query.customerNo),
    }),
    action('/api/v1/campaigns/:id/launch', 'Launch a draft campaign: fan out its messages and send them', (p, id) =>
      campaigns.launch(p, id),
    ),
    action('/api/v1/campaigns/:id/pause', 'Pause sending (queued messages wait)', (p, id) => campaigns.pause(p, id)),
    action('/api/v1/campaigns/:id/resume', 'Resume a paused campaign', (p, id) => campaigns.resume(p, id)),
    action('/api/v1/campaigns/:id/cancel', 'Cancel a campaign (queued messages are skipped)', (p, id) =>
      campaigns.cancel(p, id),
    ),
    defineRoute({
      method: 'GET',
      url: '/api/v1/campaigns/:id/messages',
      summary:
        "A campaign's message per customer (masked; keyset pages, filter by status) with counts per channel and state",
      tags,
      access: 'campaign.read',
      params: IdParams,
      query: CampaignMessagesQuery,
      response: { status: 200, schema: CampaignMessagePage },
      handler: ({ principal, params, query }) => campaigns.messages(principal, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/campaigns/:id/messages/:messageId',
      summary: 'One message of a campaign and its state',
      tags,
      access: 'campaign.read',
      params: MessageParams,
      response: { status: 200, schema: CampaignMessage },
      handler: ({ principal, params }) => campaigns.message(principal, params.id, params.messageId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/campaign-receipts/:gatewayId',
      summary: 'A delivery receipt from the notify gateway (signed; no session)',
      tags,
      access: 'public',
      params: GatewayParams,
      raw: { bodyLimit: 64 * 1024, content: { 'application/json': CampaignReceipt } },
      response: { status: 200, schema: z.object({ applied: z.boolean() }) },
      handler: ({ req, params }) => {
        const header = (name: string) => {
          const v = req.headers[name];
          return typeof v === 'string' ? v : undefined;
        };
        const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        return receipts.receive(params.gatewayId, raw, {
          signature: header(SIGNATURE_HEADER),
          timestamp: header(TIMESTAMP_HEADER),
        });
      },
    }),
  ];
}
