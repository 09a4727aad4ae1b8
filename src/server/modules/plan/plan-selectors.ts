/**
 * Which alerts of an incident a plan action reads (its `from_alerts`, docs/plans.md "Choosing the
 * alerts"): an alert is selected when every condition given holds. Pure, for the activation engine.
 */
import { ALERT_LEVELS, type AlertLevel } from '../../../shared/enums.js';
import { fieldValue } from '../../../shared/event-fields.js';
import type { AlertSelector } from '../../../shared/plan-schemas.js';

/** What a selector looks at in one alert. */
interface SelectableAlert {
  ruleId: string;
  tags: readonly string[];
  level: AlertLevel;
}

/** Whether `alert` is one the selector chooses (no selector: every alert). */
export function alertSelected(selector: AlertSelector | undefined, alert: SelectableAlert): boolean {
  if (!selector) return true;
  if (selector.rules && !selector.rules.includes(alert.ruleId)) return false;
  if (selector.tags && !selector.tags.some((t) => alert.tags.includes(t))) return false;
  if (selector.min_level && ALERT_LEVELS.indexOf(alert.level) < ALERT_LEVELS.indexOf(selector.min_level)) return false;
  return true;
}

/** Whether an event's fields have the values `events` asks for (every field; a list: any of its values). */
export function eventSelected(events: NonNullable<AlertSelector['events']>, fields: Record<string, unknown>): boolean {
  return Object.entries(events).every(([name, wanted]) => {
    const v = fieldValue(fields, name);
    const have = (Array.isArray(v) ? v : [v]).filter((x) => x != null).map(String);
    return (Array.isArray(wanted) ? wanted : [wanted]).some((w) => have.includes(w));
  });
}
