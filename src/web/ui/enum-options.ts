/** Localised Select options for the shared enumerations, plus service names in the current language. */
import { useTranslation } from 'react-i18next';
import {
  ALERT_LEVELS,
  ALERT_STATUSES,
  CATEGORIES,
  ENTITY_KINDS,
  GRADES,
  PARTICIPANT_ROLES,
  STATUSES,
  TASK_STATUSES,
  TOKEN_SCOPES,
  USER_ROLES,
} from '../../shared/enums.js';
import type { Service } from '../app/types.js';

export interface Option {
  value: string;
  label: string;
}

export function useEnumOptions() {
  const { t } = useTranslation();
  return {
    categories: CATEGORIES.map((c): Option => ({ value: c, label: t(`category.${c}`) })),
    grades: GRADES.map((g): Option => ({ value: g, label: t(`grade.${g}`) })),
    statuses: STATUSES.map((s): Option => ({ value: s, label: t(`status.${s}`) })),
    participantRoles: PARTICIPANT_ROLES.map((r): Option => ({ value: r, label: t(`participantRole.${r}`) })),
    userRoles: USER_ROLES.map((r): Option => ({ value: r, label: t(`role.${r}`) })),
    taskStatuses: TASK_STATUSES.map((s): Option => ({ value: s, label: t(`taskStatus.${s}`) })),
    tokenScopes: TOKEN_SCOPES.map((s): Option => ({ value: s, label: t(`scope.${s}`) })),
    alertLevels: [...ALERT_LEVELS].reverse().map((l): Option => ({ value: l, label: t(`level.${l}`) })),
    alertStatuses: ALERT_STATUSES.map((s): Option => ({ value: s, label: t(`alertStatus.${s}`) })),
    entityKinds: ENTITY_KINDS.map((k): Option => ({ value: k, label: t(`entityKind.${k}`) })),
  };
}

/** A service's name in the console's language. */
export function useServiceName(): (s: Pick<Service, 'nameZh' | 'nameEn'>) => string {
  const { i18n } = useTranslation();
  return (s) => (i18n.language === 'zh-CN' ? s.nameZh : s.nameEn) || s.nameEn || s.nameZh;
}
