/** The tamper-evident audit chain: every state change appends an entry in the change's own transaction. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { AuditAction, AuditTargetType } from '../../../shared/audit-actions.js';
import type { AuditEntry } from '../../../shared/audit-schemas.js';
import { beforeCommit, transactionMemo, type Store } from '../../platform/db/connect.js';
import { sendRead } from '../../platform/db/pipeline.js';
import type { Db } from '../../platform/db/types.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import {
  entriesOfTargets,
  insertEntries,
  lastEntry,
  tailQuery,
  listEntries,
  scanEntries,
  type AuditFilter,
  type AuditRow,
  type AuditTie,
} from './audit.repository.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The chain's tail after a transaction's own appends (transactionMemo). */
const CHAIN_TAIL = Symbol('audit chain tail');
/** The chain's tail as read right behind the transaction's chain lock (Store.onChainLock; transactionMemo). */
const TAIL_AHEAD = Symbol('audit chain tail read behind the lock');
/** A transaction's entries not written yet: written together just before its commit (transactionMemo). */
const UNWRITTEN = Symbol('audit entries to write');

/** Who did it: a user, a token acting for a user, the CLI or the system. */
export interface Actor {
  id: string | null;
  label: string;
}

export interface AuditRecord {
  /** One of AUDIT_ACTIONS (src/shared/audit-actions.ts), which the console names in both languages. */
  action: AuditAction;
  targetType: AuditTargetType;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  /**
   * Ids of the incidents the entry is about (the incident, or the one its task, participant or alert
   * belongs to, every incident it names). Readers who may not see one of them do not see the entry.
   * Kept beside the chain, not hashed.
   */
  incidents?: readonly (string | null | undefined)[];
}

/**
 * Whose need-to-know applies when reading the log: a user id, or undefined for a reader who sees
 * everything (administrators, the CLI on the store).
 */
export type AuditViewer = string | undefined;

/** An administrator sees every entry; anyone else (the auditor) not those about incidents they may not see. */
export const auditViewerOf = (p: { user: { id: string; role: string } }): AuditViewer =>
  p.user.role === 'admin' ? undefined : p.user.id;

/** An entry in an export whose content the reader may not see: its place and hashes only, so the links still check. */
export interface WithheldAuditEntry {
  seq: number;
  withheld: true;
  prevHash: string;
  hash: string;
}

const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : canonicalJson(v));

/** The hash of a row: SHA-256 over the previous hash and the canonical JSON (RFC 8785) of the row's fields. */
export function hashRow(row: Omit<AuditRow, 'hash'>): string {
  const body = canonicalJson({
    seq: Number(row.seq),
    id: row.id,
    at: Number(row.at),
    actor_id: row.actor_id,
    actor_label: row.actor_label,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    before_json: row.before_json,
    after_json: row.after_json,
  });
  return createHash('sha256').update(row.prev_hash).update('\n').update(body).digest('hex');
}

export function toAuditEntry(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: iso(r.at),
    actor: { id: r.actor_id, label: r.actor_label },
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad: { seq: number; reason: string } | null;
  /** The newest entry that verified (null for an empty chain): what an anchor records. */
  head: AuditAnchor | null;
}

/**
 * An entry's place and hash, kept outside the store (a file on other storage, a ticket, a mail to
 * compliance). The chain alone cannot show that its newest entries were cut off; an anchor can.
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** Stores whose transactions read the chain's tail behind the chain lock (once per store). */
const tailReaders = new WeakSet<Store>();

export function createAuditService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  if (!tailReaders.has(store)) {
    tailReaders.add(store);
    store.onChainLock((tx) => transactionMemo(tx)?.set(TAIL_AHEAD, sendRead(tx, tailQuery(tx))));
  }
  /** Appends entries by one actor, chained in order, with one lookup and one batched insert. */
  async function appendMany(tx: Db, actor: Actor, recs: AuditRecord[]): Promise<void> {
    if (recs.length === 0) return;
    // A transaction that appended already knows the tail (it holds the chain lock: nobody else moved it).
    const memo = transactionMemo(tx);
    let last = memo?.get(CHAIN_TAIL) as Pick<AuditRow, 'seq' | 'hash'> | undefined;
    if (!last) {
      await store.lockChain(tx);
      // Read behind the lock when the transaction took it (onChainLock); no append since, or CHAIN_TAIL would say.
      const ahead = memo?.get(TAIL_AHEAD) as Promise<Pick<AuditRow, 'seq' | 'hash'>[]> | undefined;
      last = ahead ? (await ahead)[0] : await lastEntry(tx);
    }
    let seq = last ? Number(last.seq) : 0;
    let prev = last ? last.hash : GENESIS_HASH;
    const at = clock.now();
    const ties: AuditTie[] = [];
    const rows: AuditRow[] = recs.map((rec) => {
      const row: Omit<AuditRow, 'hash'> = {
        seq: ++seq,
        id: newId(),
        at,
        actor_id: actor.id,
        actor_label: actor.label,
        action: rec.action,
        target_type: rec.targetType,
        target_id: rec.targetId ?? null,
        before_json: toJson(rec.before),
        after_json: toJson(rec.after),
        prev_hash: prev,
      };
      prev = hashRow(row);
      for (const id of new Set(rec.incidents ?? [])) if (id) ties.push({ seq, incident_id: id });
      return { ...row, hash: prev };
    });
    memo?.set(CHAIN_TAIL, { seq, hash: prev });
    if (!memo) return insertEntries(tx, rows, ties);
    // Every append of the transaction goes in one INSERT per table, just before the commit: alert intake
    // appends for the incident it declares and for the alerts, and each statement is a round trip.
    // The chain is the same (numbers and links are fixed here, under the lock); only the writing waits.
    const unwritten = memo.get(UNWRITTEN) as { rows: AuditRow[]; ties: AuditTie[] } | undefined;
    if (unwritten) {
      unwritten.rows.push(...rows);
      unwritten.ties.push(...ties);
      return;
    }
    const batch = { rows, ties };
    memo.set(UNWRITTEN, batch);
    await beforeCommit(tx, () => insertEntries(tx, batch.rows, batch.ties));
  }

  return {
    /** Appends to the chain inside the caller's write transaction `tx` (store.transaction). */
    append(tx: Db, actor: Actor, rec: AuditRecord): Promise<void> {
      return appendMany(tx, actor, [rec]);
    },

    appendMany,

    /** Newest first, filtered; with a viewer, without the entries about incidents that viewer may not see. */
    async list(
      filter: AuditFilter,
      limit: number,
      viewer?: AuditViewer,
    ): Promise<{ items: AuditEntry[]; next: string | null }> {
      const rows = await listEntries(store.db, filter, limit + 1, viewer);
      const page = rows.slice(0, limit);
      const next = rows.length > limit ? String(page[page.length - 1]!.seq) : null;
      return { items: page.map(toAuditEntry), next };
    },

    /** Every entry about any of `targetIds` (of one target type), oldest first (an evidence package's custody). */
    async ofTargets(targetType: AuditTargetType, targetIds: string[], db: Db = store.db): Promise<AuditEntry[]> {
      return (await entriesOfTargets(db, targetType, targetIds)).map(toAuditEntry);
    },

    /**
     * Streams the whole chain, oldest first, in batches. With a viewer, an entry that viewer may not
     * see keeps only its number and hashes (so the chain's links can still be checked).
     */
    async *exportAll(batch = 1000, viewer?: AuditViewer): AsyncGenerator<AuditEntry | WithheldAuditEntry> {
      let after = 0;
      for (;;) {
        const rows = await scanEntries(store.db, after, batch, viewer);
        for (const r of rows)
          yield r.withheld
            ? { seq: Number(r.seq), withheld: true, prevHash: r.prev_hash, hash: r.hash }
            : toAuditEntry(r);
        if (rows.length < batch) return;
        after = Number(rows[rows.length - 1]!.seq);
      }
    },

    /**
     * Walks the chain from the start; names the first entry whose link or hash does not hold. With
     * `anchors`, also checks that each anchored entry is still there with the same hash (so entries
     * cut off the end, or the chain rewritten from some point, show).
     */
    async verify(opts: { batch?: number; anchors?: AuditAnchor[] } = {}): Promise<VerifyResult> {
      const batch = opts.batch ?? 2000;
      const anchors = new Map((opts.anchors ?? []).map((a) => [a.seq, a.hash]));
      let prevHash = GENESIS_HASH;
      let expectSeq = 1;
      let checked = 0;
      let head: AuditAnchor | null = null;
      const broken = (seq: number, reason: string): VerifyResult => ({
        ok: false,
        checked,
        firstBad: { seq, reason },
        head,
      });
      for (;;) {
        const rows = await scanEntries(store.db, expectSeq - 1, batch);
        for (const r of rows) {
          const seq = Number(r.seq);
          if (seq !== expectSeq) return broken(seq, `entry ${expectSeq} is missing`);
          if (r.prev_hash !== prevHash) return broken(seq, 'prev_hash does not match the previous entry');
          const { hash, ...rest } = r;
          if (hashRow(rest) !== hash) return broken(seq, 'content does not match its hash (edited)');
          const anchored = anchors.get(seq);
          if (anchored !== undefined && anchored !== hash)
            return broken(
              seq,
              `its hash differs from the anchor's (${anchored.slice(0, 16)}...): the chain was rewritten from here or before`,
            );
          prevHash = hash;
          expectSeq = seq + 1;
          checked++;
          head = { seq, hash };
        }
        if (rows.length < batch) break;
      }
      const beyond = [...anchors.keys()].filter((seq) => seq >= expectSeq).sort((a, b) => a - b)[0];
      if (beyond !== undefined)
        return broken(
          beyond,
          `the anchor names entry ${beyond}, but the chain ends at ${expectSeq - 1}: entries were cut off the end`,
        );
      return { ok: true, checked, firstBad: null, head };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
