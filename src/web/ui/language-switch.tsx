/** The zh-CN / English switch shown in the header and on the sign-in screens. */
import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../shared/enums.js';
import { setLocale } from '../i18n/index.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('shell.language')}
      data-testid="lang-switch"
      value={i18n.language === 'zh-CN' ? 'zh-CN' : 'en'}
      onChange={(v) => setLocale(v as Locale)}
      data={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'EN' },
      ]}
    />
  );
}
