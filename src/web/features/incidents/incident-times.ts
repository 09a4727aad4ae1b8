/** What the list shows of an incident's times: how long it has been open and since its last activity. */
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { useAge } from '../../ui/age.js';
import { displayTimeZone, formatDateTime } from '../../ui/time.js';

/** An active incident nobody has touched for this long is marked stale. */
export const STALE_AFTER_MS = 60 * 60_000;

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** When an incident stopped being worked (closed or false positive), or null while it is active. */
export function endedAt(i: Incident): string | null {
  if (i.status === 'closed') return i.milestones.closedAt;
  if (i.status === 'false_positive') return i.milestones.falsePositiveAt;
  return null;
}

export function useIncidentTimes(i: Incident, now: number) {
  const { t, i18n } = useTranslation();
  const age = useAge();
  const zone = displayTimeZone();
  const detected = ms(i.milestones.detectedAt);
  const end = ms(endedAt(i));
  const last = ms(i.lastActivityAt ?? i.updatedAt);
  const active = Number.isNaN(end);
  return {
    /** Open for: detection to now, or to closing for an ended incident. */
    age: age.format((active ? now : end) - detected),
    ageTitle: `${t('incidents.detectedTitle', { time: formatDateTime(i.milestones.detectedAt, i18n.language) })} (${zone})`,
    updated: age.ago(now - last),
    updatedTitle: `${t('incidents.updatedTitle', { time: formatDateTime(i.lastActivityAt ?? i.updatedAt, i18n.language) })} (${zone})`,
    stale: active && now - last > STALE_AFTER_MS,
  };
}
