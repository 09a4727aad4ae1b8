/** Small shared pieces: a full-page loader, a "load more" button, a not-permitted notice. */
import { Alert, Button, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}

export function LoadMore({ hasMore, loading, onClick }: { hasMore: boolean; loading: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  if (!hasMore) return null;
  return (
    <Center>
      <Button variant="default" loading={loading} onClick={onClick} data-testid="load-more">
        {t('common.loadMore')}
      </Button>
    </Center>
  );
}

export function NotPermitted() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" title={t('error.forbiddenTitle')} data-testid="not-permitted">
      {t('error.forbidden')}
    </Alert>
  );
}
