/**
 * The contract every kind of connector fulfils — the containment kinds (generic HTTP, command, trading
 * core, EDR, firewall) and the staff channels of paging (email, WeCom, DingTalk, Feishu, Slack, Teams,
 * SMS, signed webhook). A connector is a named, configured instance of a kind: its `config` is shown,
 * its `secrets` are encrypted at rest and never shown again. A kind reaches the outside only through its
 * context: HTTP through the outbound guard, limited to the connector's allowed hosts.
 */
import type { z } from 'zod';

export interface OutboundRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default 10 s. */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a kind may use while it runs: its configuration, its secrets (decrypted), guarded outbound calls. */
export interface ConnectorContext<C, S> {
  /** The connector's name (its slug). */
  name: string;
  config: C;
  secrets: S;
  /** An HTTP call through the outbound guard, to the connector's allowed hosts only. */
  http(req: OutboundRequest): Promise<OutboundResponse>;
  /** Checks `host` against the guard and the allowed hosts and returns the address to connect to (for non-HTTP protocols such as SMTP). */
  resolve(host: string): Promise<{ address: string; family: 4 | 6 }>;
  now(): number;
}

export interface ConnectorKindSpec<C = unknown, S = unknown> {
  kind: string;
  purpose: 'action' | 'channel';
  title: { 'zh-CN': string; en: string };
  /** The settings that are shown (URLs, user names, templates). */
  config: z.ZodType<C>;
  /** The fields that are encrypted at rest and never returned (passwords, signing keys, tokens). */
  secrets: z.ZodType<S>;
  /** The hosts the connector's configuration names (the default allow list). */
  hosts(config: C): string[];
  /** "Test connection": reaches the far side without changing anything there. */
  test?(ctx: ConnectorContext<C, S>): Promise<{ ok: boolean; detail: string }>;
}

/** A page or notice to one recipient of a staff channel, already in the recipient's language. */
export interface ChannelMessage {
  /** The address on that channel: an email address, a phone number; empty for group robots. */
  to: string;
  language: 'zh-CN' | 'en';
  subject: string;
  text: string;
  /** The signed one-time acknowledge link, when the message is a page. */
  ackUrl?: string;
  incidentKey?: string;
}

/** @public a staff channel: the paging module builds these and compose passes them to the connector service. */
export interface ChannelKindSpec<C = unknown, S = unknown> extends ConnectorKindSpec<C, S> {
  purpose: 'channel';
  /** What address a recipient needs on this channel (`none` for group robots). */
  address: 'email' | 'phone' | 'none';
  /** Sends; throws with the reason when the far side refuses (the caller retries as configured). */
  send(ctx: ConnectorContext<C, S>, message: ChannelMessage): Promise<{ providerId?: string; detail: string }>;
}
