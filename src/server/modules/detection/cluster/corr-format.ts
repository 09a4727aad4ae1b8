/**
 * The bodies of `P_corr` messages (see corr-messages.ts for the stream, subjects and headers). Kept
 * apart from the NATS client so the engine thread, which encodes stage one's feeds, loads no NATS code.
 */
import type { CorrelationFeed } from '@tocsin/sigma';

const encoder = new TextEncoder();

/** The body of a `feeds` message: the feeds of one partition as a JSON array, in evaluation order. */
export const feedsBody = (feeds: CorrelationFeed[]): Uint8Array => encoder.encode(JSON.stringify(feeds));

/** A `P_corr` message as stage two applies it: its kind (header `Tocsin-Kind`) and body. */
export interface CorrBody {
  kind: string | undefined;
  data: Uint8Array;
}

/** A `P_corr` message read: a partition's feeds, or a watermark (the event time stage one reached). */
export type CorrMessage = { kind: 'feeds'; feeds: CorrelationFeed[] } | { kind: 'watermark'; maxTime: number };

const decoder = new TextDecoder();

/** Reads a message of `P_corr`; null for one of another kind or malformed (skipped, never fatal). */
export function decodeCorrBody({ kind, data }: CorrBody): CorrMessage | null {
  try {
    const body: unknown = JSON.parse(decoder.decode(data));
    if (kind === 'feeds' && Array.isArray(body)) return { kind, feeds: body as CorrelationFeed[] };
    if (kind === 'watermark' && body && typeof body === 'object') {
      const maxTime = (body as { maxTime?: unknown }).maxTime;
      if (typeof maxTime === 'number' && Number.isFinite(maxTime)) return { kind, maxTime };
    }
  } catch {
    // malformed: skipped
  }
  return null;
}

/** What applying bodies needs of a correlator (`@tocsin/sigma`'s, muted or not). */
interface FeedsAndTime<M> {
  feed(feeds: CorrelationFeed[]): M[];
  advance(eventTime: number): M[];
}

/**
 * Applies message bodies to a correlator in order: feeds fed, watermarks advance its event time; a
 * body of another kind or malformed is skipped. The matches of each body, in order, and the errors
 * the correlator threw (that body's matches are then none; the next ones are applied).
 */
export function applyCorrBodies<M>(
  c: FeedsAndTime<M>,
  bodies: readonly CorrBody[],
): { matches: M[][]; errors: string[] } {
  const errors: string[] = [];
  const matches = bodies.map((b) => {
    const msg = decodeCorrBody(b);
    if (!msg) return [];
    try {
      return msg.kind === 'feeds' ? c.feed(msg.feeds) : c.advance(msg.maxTime);
    } catch (err) {
      errors.push((err as Error).message);
      return [];
    }
  });
  return { matches, errors };
}
