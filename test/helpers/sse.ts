/** A minimal SSE reader over fetch, for tests and the stream benchmark. */
export interface SseMessage {
  event: string;
  /** The event's `id:` (the bus id), when it has one. */
  id?: string;
  data: unknown;
  receivedAt: number;
}

export interface SseClient {
  messages: SseMessage[];
  /** The last `id:` received (what a browser would send as `Last-Event-ID` when reconnecting). */
  readonly lastEventId: string | undefined;
  /** Resolves true when the server ends the stream. */
  ended: Promise<boolean>;
  /** Resolves with the first message (already received or future) matching `pred`. */
  next(pred: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const messages: SseMessage[] = [];
  const waiters: { pred: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  let lastEventId: string | undefined;
  const ended = (async () => {
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        buf += decoder.decode(value, { stream: true });
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
            else if (line.startsWith('id: ')) id = line.slice(4);
          }
          if (id !== undefined) lastEventId = id;
          if (!data.length) continue;
          const m = { event, id, data: JSON.parse(data.join('\n')) as unknown, receivedAt: performance.now() };
          messages.push(m);
          for (const w of [...waiters]) {
            if (w.pred(m)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(m);
            }
          }
        }
      }
    } catch {
      return false; // aborted by us
    }
  })();
  return {
    messages,
    get lastEventId() {
      return lastEventId;
    },
    ended,
    next(pred, timeoutMs = 5000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching event on the stream')), timeoutMs);
        waiters.push({
          pred,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    close: () => ac.abort(),
  };
}
