/**
 * The bodies of `P_corr` messages (see corr-messages.ts for the stream, subjects and headers). Kept
 * apart from the NATS client so the engine thread, which encodes stage one's feeds, loads no NATS code.
 */
import type { CorrelationFeed } from '@tocsin/sigma';

const encoder = new TextEncoder();

/** The body of a `feeds` message: the feeds of one partition as a JSON array, in evaluation order. */
export const feedsBody = (feeds: CorrelationFeed[]): Uint8Array => encoder.encode(JSON.stringify(feeds));
