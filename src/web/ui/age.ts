/** How long ago, in words a tired reader takes in at a glance: "3 min", "2 h 05 min", "4 d 3 h". */
import { useTranslation } from 'react-i18next';

export type AgeParts =
  | { unit: 'now' }
  | { unit: 'm'; m: number }
  | { unit: 'hm'; h: number; m: number }
  | { unit: 'dh'; d: number; h: number };

/** A duration split into the two largest units that matter (under a minute is "just now"). */
export function ageParts(ms: number): AgeParts {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return { unit: 'now' };
  if (minutes < 60) return { unit: 'm', m: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'hm', h: hours, m: minutes % 60 };
  return { unit: 'dh', d: Math.floor(hours / 24), h: hours % 24 };
}

/** `format(ms)` -> "2 小时 05 分" / "2 h 05 min"; `ago(ms)` -> "12 分钟前" / "12 min ago". */
export function useAge(): { format: (ms: number) => string; ago: (ms: number) => string } {
  const { t } = useTranslation();
  const format = (ms: number): string => {
    const p = ageParts(ms);
    switch (p.unit) {
      case 'now':
        return t('age.now');
      case 'm':
        return t('age.m', { m: p.m });
      case 'hm':
        return t('age.hm', { h: p.h, m: String(p.m).padStart(2, '0') });
      case 'dh':
        return t('age.dh', { d: p.d, h: p.h });
    }
  };
  const ago = (ms: number): string => (ageParts(ms).unit === 'now' ? t('age.now') : t('age.ago', { age: format(ms) }));
  return { format, ago };
}
