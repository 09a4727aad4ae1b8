/** "Cite the fact register": adds a confirmed fact or a rumor's rebuttal to both bodies of the statement. */
import { Badge, Button, Menu, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pickZhEn } from '../../ui/localized.js';
import { useFacts } from '../media/media-api.js';
import { citable, citationOf } from './cite-fact.js';

export function CiteFactMenu({
  incidentKey,
  onCite,
}: {
  incidentKey: string;
  onCite: (text: { zh: string; en: string }) => void;
}) {
  const { t, i18n } = useTranslation();
  const facts = useFacts(incidentKey);
  const items = citable(facts.data ?? []);
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <Button variant="default" size="xs" loading={facts.isLoading} data-testid="statement-cite">
          {t('statementCite.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown maw={420}>
        {items.length === 0 && (
          <Text size="sm" c="dimmed" p="xs">
            {t('statementCite.empty')}
          </Text>
        )}
        {items.map((f) => (
          <Menu.Item
            key={f.id}
            onClick={() => onCite(citationOf(f))}
            leftSection={
              <Badge size="xs" color={f.verdict === 'false' ? 'red' : 'teal'} style={{ flexShrink: 0 }}>
                {t(`statementCite.${f.verdict === 'false' ? 'rumor' : 'fact'}`)}
              </Badge>
            }
            data-testid="statement-cite-item"
          >
            <Text size="sm" lineClamp={2}>
              {pickZhEn(f.claim, i18n.language)}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
