/** Audit actions and target kinds by name in the reader's language (the code itself for one the console does not know). */
import { useTranslation } from 'react-i18next';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  type AuditAction,
  type AuditTargetType,
} from '../../../shared/audit-actions.js';

const isAction = (a: string): a is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(a);
const isTarget = (k: string): k is AuditTargetType => (AUDIT_TARGET_TYPES as readonly string[]).includes(k);

export function useAuditNames() {
  const { t } = useTranslation();
  return {
    action: (a: string): string => (isAction(a) ? t(`auditAction.${a}`) : a),
    target: (k: string): string => (isTarget(k) ? t(`auditTarget.${k}`) : k),
    /** Every action as a picker option, by name, in the catalog's order. */
    actionOptions: () => AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`auditAction.${a}`) })),
    targetOptions: () => AUDIT_TARGET_TYPES.map((k) => ({ value: k, label: t(`auditTarget.${k}`) })),
  };
}
