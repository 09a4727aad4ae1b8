/**
 * Localised wording of system timeline entries. The server writes English text plus structured `data`
 * ({event, from, to, ...}; rule titles as `ruleTitles` {zh-CN, en} beside the English `ruleTitle`); the
 * console words known events in the reader's language and falls back to the text.
 */
import { useTranslation } from 'react-i18next';
import { ALERT_LEVELS, CATEGORIES, GRADES, PARTICIPANT_ROLES, STATUSES, TASK_STATUSES } from '../../../shared/enums.js';
import { PAGE_PROBLEM_REASONS } from '../../../shared/page-schemas.js';
import type { TimelineEntry } from '../../app/types.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import { dataRuleTitle, pick } from '../../ui/localized.js';
import { useUsers } from '../users/users-api.js';
import { useTasks } from './war-room-api.js';
import { formatDateTime } from '../../ui/time.js';

const isOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);
const isStatus = isOf(STATUSES);
const isGrade = isOf(GRADES);
const isCategory = isOf(CATEGORIES);
const isRole = isOf(PARTICIPANT_ROLES);
const isTaskStatus = isOf(TASK_STATUSES);
const isLevel = isOf(ALERT_LEVELS);
const isProblem = isOf(PAGE_PROBLEM_REASONS);
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const ACTION_STEPS = [
  'requested',
  'approved',
  'rejected',
  'succeeded',
  'failed',
  'rollback_asked',
  'rolled_back',
  'rollback_failed',
] as const;

export interface EntryWords {
  /** A localised one-line statement of what the system recorded, if the event is known. */
  headline: string | null;
  /** Free text to show as written (a person's note, or the server's text for unknown events). */
  body: string | null;
}

/** Returns a function that words an entry for the reader. */
export function useEntryWords(incidentKey: string): (entry: TimelineEntry) => EntryWords {
  const { t, i18n } = useTranslation();
  const users = useUsers();
  const tasks = useTasks(incidentKey);
  const userName = (id: unknown) => users.data?.find((u) => u.id === id)?.name ?? '?';
  const taskTitle = (id: unknown) => tasks.data?.items.find((x) => x.id === id)?.title;

  return (entry) => {
    const d = entry.data ?? {};
    const rule = dataRuleTitle(d, i18n.language);
    const note = typeof d.note === 'string' && d.note ? d.note : null;
    if (entry.kind !== 'system' && entry.kind !== 'status_change') return { headline: null, body: entry.text };
    switch (d.event) {
      case 'declared':
        if (d.source === 'detection' && rule && isGrade(d.grade) && isCategory(d.category)) {
          return {
            headline: t('timeline.event.declaredByDetection', {
              rule,
              grade: t(`grade.${d.grade}`),
              category: t(`category.${d.category}`),
            }),
            body: null,
          };
        }
        if (isGrade(d.grade) && isCategory(d.category)) {
          return {
            headline: t('timeline.event.declared', {
              grade: t(`grade.${d.grade}`),
              category: t(`category.${d.category}`),
            }),
            body: null,
          };
        }
        break;
      case 'grade_changed':
        if (isGrade(d.from) && isGrade(d.to)) {
          return {
            headline: t('timeline.event.gradeChanged', { from: t(`grade.${d.from}`), to: t(`grade.${d.to}`) }),
            body: null,
          };
        }
        break;
      case 'status_changed':
      case 'reopened':
        if (isStatus(d.from) && isStatus(d.to)) {
          const words = { from: t(`status.${d.from}`), to: t(`status.${d.to}`) };
          return {
            headline: d.event === 'reopened' ? t('timeline.event.reopened', words) : t('timeline.statusChange', words),
            body: note,
          };
        }
        break;
      case 'participant_added':
      case 'participant_removed':
        if (isRole(d.role) && users.data) {
          const words = { name: userName(d.userId), role: t(`participantRole.${d.role}`) };
          return {
            headline:
              d.event === 'participant_added'
                ? t('timeline.event.participantAdded', words)
                : t('timeline.event.participantRemoved', words),
            body: null,
          };
        }
        break;
      case 'alerts_attached': {
        const alerts = Array.isArray(d.alerts)
          ? (d.alerts as { ruleTitle?: unknown; ruleTitles?: unknown; level?: unknown }[])
          : [];
        const first = alerts[0];
        const firstRule = first ? dataRuleTitle(first, i18n.language) : null;
        if (d.count === 1 && first && firstRule && isLevel(first.level)) {
          return {
            headline: t('timeline.event.alertAttached', { rule: firstRule, level: t(`level.${first.level}`) }),
            body: null,
          };
        }
        const rules = [...new Set(alerts.map((a) => dataRuleTitle(a, i18n.language)).filter(str))].map((r) => `“${r}”`);
        if (typeof d.count === 'number' && rules.length) {
          return {
            headline: t('timeline.event.alertsAttached', {
              count: d.count,
              rules: rules.join(t('common.listSeparator')),
            }),
            body: null,
          };
        }
        break;
      }
      case 'alert_linked':
        if (rule)
          return {
            headline: t(
              d.fromRestricted === true ? 'timeline.event.alertLinkedFromRestricted' : 'timeline.event.alertLinked',
              { rule },
            ),
            body: null,
          };
        break;
      case 'alert_moved_restricted':
        return { headline: t('timeline.event.alertMovedRestricted'), body: null };
      case 'participant_role_changed':
        if (isRole(d.from) && isRole(d.to) && users.data) {
          return {
            headline: t('timeline.event.participantRoleChanged', {
              name: userName(d.userId),
              from: t(`participantRole.${d.from}`),
              to: t(`participantRole.${d.to}`),
            }),
            body: null,
          };
        }
        break;
      case 'alert_unlinked':
        if (rule) {
          return {
            headline: str(d.to)
              ? t('timeline.event.alertMoved', { rule, to: d.to })
              : t('timeline.event.alertUnlinked', { rule }),
            body: null,
          };
        }
        break;
      case 'alert_false_positive':
        if (rule)
          return { headline: t('timeline.event.alertFalsePositive', { rule }), body: str(d.reason) ? d.reason : null };
        break;
      case 'paged':
      case 'page_escalated':
        if (str(d.policy) && typeof d.level === 'number' && Array.isArray(d.people)) {
          const people = d.people.filter(str);
          if (d.policy === 'direct')
            return { headline: t('timeline.event.pagedDirect', { people: people.join(', ') }), body: null };
          return {
            headline: t(d.event === 'paged' ? 'timeline.event.paged' : 'timeline.event.pageEscalated', {
              policy: d.policy === 'direct' ? t('pages.direct') : d.policy,
              level: d.level,
              people: people.length ? people.join(', ') : t('timeline.event.nobody'),
            }),
            body: null,
          };
        }
        break;
      case 'page_problem':
        if (typeof d.level === 'number' && isProblem(d.reason)) {
          return {
            headline: t(`pages.problem.${d.reason}`, { level: d.level, name: str(d.name) ? d.name : '?' }),
            body: null,
          };
        }
        break;
      case 'statement_published': {
        // A statement was published (docs/statements.md): its title in the reader's language.
        const title = pick(d.titles as LocalizedText | undefined, i18n.language, '');
        return {
          headline: t(
            d.emergency === true ? 'timeline.event.statementPublishedEmergency' : 'timeline.event.statementPublished',
            {
              title,
            },
          ),
          body: null,
        };
      }
      case 'page_acknowledged':
        if (str(d.name)) return { headline: t('timeline.event.pageAcknowledged', { name: d.name }), body: null };
        break;
      case 'page_exhausted':
        if (str(d.policy))
          return {
            headline: t('timeline.event.pageExhausted', {
              policy: d.policy === 'direct' ? t('pages.direct') : d.policy,
            }),
            body: null,
          };
        break;
      case 'task_status': {
        const title = taskTitle(d.taskId);
        if (title !== undefined && isTaskStatus(d.from) && isTaskStatus(d.to)) {
          return {
            headline: t('timeline.event.taskStatus', {
              title,
              from: t(`taskStatus.${d.from}`),
              to: t(`taskStatus.${d.to}`),
            }),
            body: null,
          };
        }
        break;
      }
      case 'plan_activated': {
        // A plan started (docs/plans.md, Activation): by Tocsin from a trigger, or by a person.
        const plan = pick(d.names as LocalizedText | undefined, i18n.language, str(d.planId) ? d.planId : '?');
        const counts = { plan, version: d.version, tasks: d.tasks ?? 0 };
        const headline =
          typeof d.trigger === 'number'
            ? t('timeline.event.planActivatedAuto', { ...counts, trigger: d.trigger + 1 })
            : t('timeline.event.planActivatedBy', counts);
        const problems = Array.isArray(d.problems) ? d.problems.length : 0;
        return { headline, body: problems ? t('timeline.event.planProblems', { count: problems }) : null };
      }
      case 'plan_step': {
        const plan = pick(d.names as LocalizedText | undefined, i18n.language, str(d.planId) ? d.planId : '?');
        if (Array.isArray(d.steps) && str(d.after))
          return {
            headline: t(str(d.round) ? 'planAlerts.afterRound' : 'timeline.event.planStep', {
              plan,
              steps: d.steps.join(', '),
              after: d.after,
            }),
            body: null,
          };
        break;
      }
      case 'plan_reasked': {
        // Alerts joined a running plan's incident: its from_alerts actions asked for what they bring (docs/plans.md).
        const plan = pick(d.names as LocalizedText | undefined, i18n.language, str(d.planId) ? d.planId : '?');
        const steps = Array.isArray(d.steps) ? (d.steps as Record<string, unknown>[]) : [];
        const said = steps.map((s) => {
          const named = (s.named ?? {}) as Record<string, string[]>;
          const counts = (s.counts ?? {}) as Record<string, number>;
          const values = (['account', 'ip', 'host'] as const)
            .filter((k) => Array.isArray(named[k]) && named[k].length > 0)
            .map((k) => {
              const count = counts[k] ?? named[k]!.length;
              const list = named[k]!.join(', ') + (count > named[k]!.length ? ', …' : '');
              return t(`planAlerts.${k}`, { count, list });
            });
          const step = str(s.step) ? s.step : '?';
          return values.length ? t('planAlerts.step', { step, values: values.join('; ') }) : step;
        });
        const first = steps.length > 0 && steps.every((s) => s.first === true);
        return {
          headline: t(first ? 'planAlerts.reaskedFirst' : 'planAlerts.reasked', { plan, steps: said.join('; ') }),
          body: null,
        };
      }
      case 'obligations_changed': {
        // Regulatory clocks started, stopped or moved by a change of facts (docs/obligations.md, Live clocks).
        const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
        const [started, stopped, changed] = [list(d.started), list(d.stopped), list(d.changed)];
        const due = (v: unknown) => (str(v) ? formatDateTime(v, i18n.language) : t('obligations.dueUnknown'));
        const lines = [
          ...started.map((c) =>
            t('obligations.timeline.startedLine', { name: `${c.obligation} (${c.stage})`, due: due(c.due) }),
          ),
          ...stopped.map((c) => t('obligations.timeline.stoppedLine', { name: `${c.obligation} (${c.stage})` })),
          ...changed.map((c) =>
            t('obligations.timeline.movedLine', {
              name: `${c.obligation} (${c.stage})`,
              from: due(c.dueBefore),
              due: due(c.due),
            }),
          ),
        ];
        return {
          headline: t('obligations.timeline.changed', {
            started: started.length,
            stopped: stopped.length,
            moved: changed.length,
          }),
          body: lines.join('\n'),
        };
      }
      case 'obligation_warning':
      case 'obligation_missed':
      case 'obligation_met':
        if (str(d.obligation) && str(d.stage)) {
          const vars = {
            name: `${d.obligation} (${d.stage})`,
            due: str(d.due) ? formatDateTime(d.due, i18n.language) : t('obligations.dueUnknown'),
            point: str(d.point) ? d.point : '',
          };
          if (d.event === 'obligation_warning')
            return { headline: t('obligations.timeline.warning', vars), body: null };
          if (d.event === 'obligation_missed') return { headline: t('obligations.timeline.missed', vars), body: null };
          return {
            headline: t(d.status === 'met' ? 'obligations.timeline.met' : 'obligations.timeline.metLate', vars),
            body: null,
          };
        }
        break;
      case 'action': {
        // A containment action run (docs/connectors.md): asked, approved, rejected, done, failed, rolled back.
        const step = ACTION_STEPS.find((s) => s === d.step);
        if (step && str(d.action) && str(d.connector)) {
          const action = i18n.exists(`connectors.actionName.${d.action}`)
            ? t(`connectors.actionName.${d.action}` as 'connectors.actionName.block_ip')
            : d.action;
          const by = entry.actor?.name ?? '';
          const why = step === 'rejected' ? d.reason : step === 'failed' || step === 'rollback_failed' ? d.error : null;
          return {
            headline:
              t(`connectors.timeline.${step}`, { action, connector: d.connector, by }) +
              (d.dryRun === true ? t('connectors.timeline.dryRun') : ''),
            body: str(why) ? why : null,
          };
        }
        break;
      }
    }
    return { headline: null, body: entry.text };
  };
}
