/** Live updates: one EventSource on /api/v1/stream that patches and invalidates the query caches. */
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { StreamEventName } from '../../shared/stream-schemas.js';
import { API } from './api.js';
import { qk } from './query-keys.js';
import { refetchLatest } from './refetch-latest.js';
import type { OwnerReminder } from '../../shared/owner-schemas.js';

/** Callback reminders heard on the stream (`owner.reminder`), for the worklist page. */
export const OWNER_REMINDERS_KEY = ['owner-reminders'] as const;
import type { ActionRun, Alert, AlertDetail, Incident, Page, StreamEvent, Task, TimelineEntry } from './types.js';

// Listed here rather than imported so the bundle carries no zod; the Record type keeps it complete.
const EVENT_NAMES = Object.keys({
  'incident.created': 1,
  'incident.updated': 1,
  'incident.withdrawn': 1,
  'timeline.appended': 1,
  'task.changed': 1,
  'alert.raised': 1,
  'alert.updated': 1,
  'service.health': 1,
  'plan.activated': 1,
  'action.changed': 1,
  'page.changed': 1,
  'status.changed': 1,
  'media.changed': 1,
  'statement.changed': 1,
  'owner.changed': 1,
  'owner.reminder': 1,
  'obligation.changed': 1,
} satisfies Record<StreamEventName, 1>) as StreamEventName[];

export type StreamState = 'connecting' | 'open' | 'reconnecting';

let state: StreamState = 'connecting';
const listeners = new Set<() => void>();
function setState(next: StreamState): void {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

/** The stream's connection state, for the header's "live" indicator. */
export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

function upsertIncidentInLists(qc: QueryClient, incident: Incident): void {
  qc.setQueriesData<InfiniteData<Page<Incident>>>({ queryKey: qk.incidentLists }, (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((p) => ({ ...p, items: p.items.map((i) => (i.key === incident.key ? incident : i)) })),
        }
      : old,
  );
}

/** A timeline entry is activity: move the incident's "last update" in loaded lists (and its cached copy). */
export function touchIncidentInLists(qc: QueryClient, key: string, at: string): void {
  const touch = (i: Incident): Incident =>
    i.key === key && Date.parse(at) > Date.parse(i.lastActivityAt) ? { ...i, lastActivityAt: at } : i;
  qc.setQueriesData<InfiniteData<Page<Incident>>>({ queryKey: qk.incidentLists }, (old) =>
    old ? { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map(touch) })) } : old,
  );
  qc.setQueryData<Incident>(qk.incident(key), (old) => (old ? touch(old) : old));
}

/** Replace an alert wherever a loaded list shows it (lists are refetched for membership and order too). */
function upsertAlertInLists(qc: QueryClient, alert: Alert): void {
  const replace = (p: Page<Alert>) => ({ ...p, items: p.items.map((a) => (a.id === alert.id ? alert : a)) });
  qc.setQueriesData<InfiniteData<Page<Alert>>>({ queryKey: qk.alertLists }, (old) =>
    old ? { ...old, pages: old.pages.map(replace) } : old,
  );
  qc.setQueriesData<Page<Alert>>({ queryKey: qk.incidentAlertLists }, (old) => (old ? replace(old) : old));
}

function applyAlertEvent(qc: QueryClient, ev: StreamEvent): void {
  const alert = ev.alert;
  if (alert) {
    upsertAlertInLists(qc, alert);
    qc.setQueryData<AlertDetail>(qk.alert(alert.id), (old) => (old ? { ...old, ...alert } : old));
    // a repeat may have brought new events
    if (ev.event === 'alert.updated') refetchLatest(qc, qk.alert(alert.id));
  }
  refetchLatest(qc, qk.alertLists);
  // every open war room's list: an alert linked elsewhere also leaves the incident it was in
  refetchLatest(qc, qk.incidentAlertLists);
}

/** Apply one stream event to the caches (exported for tests and for the war room's own writes). */
export function applyStreamEvent(qc: QueryClient, ev: StreamEvent): void {
  if (ev.event === 'alert.raised' || ev.event === 'alert.updated') {
    applyAlertEvent(qc, ev);
    return;
  }
  if (ev.event === 'service.health') {
    refetchLatest(qc, qk.serviceHealth);
    return;
  }
  if (ev.event === 'action.changed') {
    // The run as it is now goes in at once; the list is fetched again after the event (a fetch already
    // under way may answer an older state: it is cancelled), so it ends as the store has it.
    const run = ev.action;
    if (run?.incidentKey) {
      const key = qk.incidentActions(run.incidentKey);
      qc.setQueryData<{ items: ActionRun[] }>(key, (old) =>
        old
          ? {
              items: old.items.some((r) => r.id === run.id)
                ? old.items.map((r) => (r.id === run.id && r.updatedAt <= run.updatedAt ? run : r))
                : [...old.items, run],
            }
          : old,
      );
      void qc.invalidateQueries({ queryKey: key });
    } else refetchLatest(qc, qk.actionLists);
    return;
  }
  if (ev.event === 'owner.changed' || ev.event === 'owner.reminder') {
    // Customer owners: worklists and cards refetch; a reminder is kept for the worklist page to show.
    if (ev.reminder) {
      const reminder = ev.reminder;
      qc.setQueryData<OwnerReminder[]>(OWNER_REMINDERS_KEY, (old) => [...(old ?? []), reminder]);
    }
    refetchLatest(qc, ['owners']);
    return;
  }
  if (ev.event === 'obligation.changed') {
    // Regulatory clocks started, stopped, moved, warned or met: the incident's clocks refetch.
    refetchLatest(qc, ['obligations', 'incident', ev.incidentKey]);
    return;
  }
  if (ev.event === 'media.changed') {
    refetchLatest(qc, qk.media);
    return;
  }
  if (ev.event === 'status.changed') {
    refetchLatest(qc, qk.statusSite);
    return;
  }
  const key = ev.incidentKey;
  if (!key) return;
  switch (ev.event) {
    case 'plan.activated': {
      void qc.invalidateQueries({ queryKey: qk.activations(key) });
      void qc.invalidateQueries({ queryKey: qk.tasks(key) });
      return;
    }
    case 'incident.created':
    case 'incident.updated': {
      if (ev.incident) {
        const incoming = ev.incident;
        qc.setQueryData<Incident>(qk.incident(key), (old) => (old && old.version > incoming.version ? old : incoming));
        upsertIncidentInLists(qc, incoming);
      } else {
        void qc.invalidateQueries({ queryKey: qk.incident(key) });
      }
      // Membership of filtered lists may change (new incident, status moved out of a filter).
      void qc.invalidateQueries({ queryKey: qk.incidentLists });
      // Changes write system entries (status, grade, participants) that are not streamed one by one.
      if (ev.event === 'incident.updated') void qc.invalidateQueries({ queryKey: qk.timeline(key) });
      return;
    }
    case 'incident.withdrawn': {
      // No longer ours to see (or still, for a member): drop it from lists, refetch it and its alerts.
      qc.setQueriesData<InfiniteData<Page<Incident>>>({ queryKey: qk.incidentLists }, (old) =>
        old ? { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.key !== key) })) } : old,
      );
      void qc.invalidateQueries({ queryKey: qk.incidentLists });
      void qc.invalidateQueries({ queryKey: qk.incident(key) });
      refetchLatest(qc, qk.alertLists);
      return;
    }
    case 'timeline.appended': {
      const entry = ev.entry;
      if (!entry) {
        void qc.invalidateQueries({ queryKey: qk.timeline(key) });
        return;
      }
      qc.setQueryData<InfiniteData<Page<TimelineEntry>>>(qk.timeline(key), (old) => appendEntry(old, entry));
      touchIncidentInLists(qc, key, entry.at);
      return;
    }
    case 'statement.changed': {
      const st = ev.statement;
      if (st) qc.setQueryData(qk.statement(st.id), st);
      // lists, the inbox and the war room's card (membership and order may change); the versions
      refetchLatest(qc, qk.statements);
      return;
    }
    case 'page.changed': {
      void qc.invalidateQueries({ queryKey: qk.pages(key) });
      return;
    }
    case 'task.changed': {
      const task = ev.task;
      if (!task) {
        void qc.invalidateQueries({ queryKey: qk.tasks(key) });
        return;
      }
      qc.setQueryData<Page<Task>>(qk.tasks(key), (old) => upsertTask(old, task));
      // a status change of a task also writes a system entry to the timeline
      void qc.invalidateQueries({ queryKey: qk.timeline(key) });
      return;
    }
  }
}

/** Add an entry at the end of a loaded timeline unless it is already there or more pages are unread. */
export function appendEntry(
  old: InfiniteData<Page<TimelineEntry>> | undefined,
  entry: TimelineEntry,
): InfiniteData<Page<TimelineEntry>> | undefined {
  const last = old?.pages[old.pages.length - 1];
  if (!old || !last) return old;
  if (old.pages.some((p) => p.items.some((e) => e.id === entry.id))) return old;
  if (last.next !== null) return old; // the entry arrives when the reader loads the next page
  const items = [...last.items, entry].sort((a, b) => a.seq - b.seq);
  return { ...old, pages: [...old.pages.slice(0, -1), { ...last, items }] };
}

/** Insert or replace a task in a loaded task list. */
export function upsertTask(old: Page<Task> | undefined, task: Task): Page<Task> | undefined {
  if (!old) return old;
  const exists = old.items.some((t) => t.id === task.id);
  return { ...old, items: exists ? old.items.map((t) => (t.id === task.id ? task : t)) : [...old.items, task] };
}

/**
 * Keep one EventSource open while the signed-in app is mounted. Every event carries its id; after a drop
 * the browser reconnects with `Last-Event-ID` by itself and the server replays what was missed. When the
 * browser gives up (e.g. 401) a new stream resumes from the last id through `?lastEventId=`. Only a
 * `resync` (the missed events are no longer kept, or the session changed) refetches everything.
 */
export function useLiveUpdates(): void {
  const qc = useQueryClient();
  useEffect(() => {
    let es: EventSource | null = null;
    let retryTimer: number | undefined;
    let attempts = 0;
    let lastId = '';
    let stopped = false;

    const track = (msg: MessageEvent<string>) => {
      if (msg.lastEventId) lastId = msg.lastEventId;
    };
    const onEvent = (msg: MessageEvent<string>) => {
      track(msg);
      try {
        const ev = JSON.parse(msg.data) as StreamEvent;
        applyStreamEvent(qc, ev.event ? ev : { ...ev, event: msg.type as StreamEventName });
      } catch {
        // a malformed event is ignored; the next refetch repairs the cache
      }
    };

    const connect = (dropped: boolean) => {
      if (stopped) return;
      setState(dropped ? 'reconnecting' : 'connecting');
      const resume = lastId ? `?lastEventId=${encodeURIComponent(lastId)}` : '';
      es = new EventSource(`${API}/stream${resume}`, { withCredentials: true });
      for (const name of EVENT_NAMES) es.addEventListener(name, onEvent);
      es.onmessage = onEvent;
      // Where the stream starts: a stream opened later resumes there.
      es.addEventListener('ready', track);
      es.addEventListener('resync', (msg) => {
        track(msg);
        void qc.invalidateQueries();
      });
      es.onopen = () => {
        attempts = 0;
        setState('open');
        // A stream opened again without knowing where the last one was: what is on screen may be stale.
        if (dropped && !resume) void qc.invalidateQueries();
      };
      es.onerror = () => {
        setState('reconnecting');
        if (es && es.readyState === EventSource.CLOSED) {
          // The browser gave up (e.g. 401): check the session, then retry with backoff.
          es.close();
          void qc.invalidateQueries({ queryKey: qk.session });
          attempts += 1;
          retryTimer = window.setTimeout(() => connect(true), Math.min(30_000, 1000 * 2 ** attempts));
        }
      };
    };
    connect(false);
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      es?.close();
      setState('connecting');
    };
  }, [qc]);
}
