/**
 * How far each partition's matches are raised: the `P_corr` sequence of the last message whose matches
 * reached `alerts.raise`, in the KV bucket `P_corr_raised` (no TTL; key `part.<p>`). A worker taking a
 * partition over replays the whole stream to rebuild the state but hands over only the matches of
 * later messages, so a takeover does not send the previous owner's alerts through intake again (they
 * would be skipped there anyway: alerts are idempotent by rule, fingerprint and event ids). A
 * checkpoint written late or by an owner that has just lost the partition is still true: whoever wrote
 * it had raised that far.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { Nats } from '../../../platform/cluster/nats.js';

export const raisedBucket = (prefix: string): string => `${prefix}_corr_raised`;
const key = (p: number) => `part.${p}`;

export function createCheckpoints(nats: Nats) {
  let kv: Promise<KV> | null = null;
  const bucket = (): Promise<KV> => {
    if (!kv) {
      const kvm = new Kvm(nats.js);
      const name = raisedBucket(nats.prefix);
      kv = kvm.create(name, { history: 1 }).catch(() => kvm.open(name));
      kv.catch(() => {
        kv = null;
      });
    }
    return kv;
  };
  const written = new Map<number, number>();
  return {
    /** The sequence up to which the partition's matches were raised (0: none known). */
    async read(p: number): Promise<number> {
      const e = await (await bucket()).get(key(p));
      const read = e?.operation === 'PUT' ? Number(e.string()) : 0;
      const seq = Number.isSafeInteger(read) && read > 0 ? read : 0;
      // A replay starts below it: never write the record back to less than it says.
      if (seq > (written.get(p) ?? 0)) written.set(p, seq);
      return seq;
    },
    /** Records that the partition's matches are raised up to `seq` (written only when it moved on). */
    async write(p: number, seq: number): Promise<void> {
      if (seq <= (written.get(p) ?? 0)) return;
      await (await bucket()).put(key(p), String(seq));
      written.set(p, seq);
    },
  };
}
