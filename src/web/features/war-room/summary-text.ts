/**
 * An incident's summary as the viewer reads it: detection's, worded here from its facts in the viewer's
 * language and time zone (the stored text gives Asia/Shanghai times); else the stored pair in their
 * language; else the summary as written (a person's words win).
 */
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { useServiceName } from '../../ui/enum-options.js';
import { pick } from '../../ui/localized.js';
import { displayTimeZone, formatDateTime } from '../../ui/time.js';

/** Returns a function giving an incident's summary in the viewer's language. */
export function useSummaryText(): (incident: Incident) => string {
  const { t, i18n } = useTranslation();
  const serviceName = useServiceName();
  const lang = i18n.language;
  return (incident) => {
    const f = incident.summaryFacts;
    if (!incident.summaryI18n) return incident.summary;
    if (!f) return pick(incident.summaryI18n, lang, incident.summary);
    const sep = t('common.listSeparator');
    const service = (key: string) => {
      const s = incident.services.find((x) => x.key === key);
      return s ? serviceName(s) : key;
    };
    const lines = [
      t('detection.declared', { id: f.alertId }),
      t('detection.rule', {
        rule: pick(f.ruleTitles, lang, f.ruleTitles.en),
        id: f.ruleId,
        level: t(`level.${f.level}`),
      }),
      f.services.length ? t('detection.services', { list: f.services.map(service).join(sep) }) : '',
      f.accounts.length ? t('detection.accounts', { list: f.accounts.join(sep) }) : '',
      f.ips.length ? t('detection.ips', { list: f.ips.join(sep) }) : '',
      f.hosts.length ? t('detection.hosts', { list: f.hosts.join(sep) }) : '',
      t('detection.firstSeen', { time: formatDateTime(f.firstSeenAt, lang, true), zone: displayTimeZone() }),
      t('detection.suggestion', { category: t(`category.${f.category}`), grade: t(`grade.${f.grade}`) }),
    ];
    return lines.filter(Boolean).join('\n');
  };
}
