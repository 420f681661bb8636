import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import { AccessControlSection } from './AccessControlSection';
import { ApiKeySection } from './ApiKeySection';
import { ApiTokensSection } from './ApiTokensSection';
import { ExemptionsSection } from './ExemptionsSection';
import { GeneralSection } from './GeneralSection';
import { SyncHistorySection } from './SyncHistorySection';
import { useConfined } from '../../api/queries';
import { NotificationsSection } from './webhooks/NotificationsSection';

/**
 * Settings (also the Connect "configure" page, `?view=settings`). In `bootstrap` (a Jira admin
 * before any Organization API key is saved) only the key: the other sections need the key's rules.
 */
export default function SettingsPage({ bootstrap = false }: { bootstrap?: boolean }) {
  // Webhooks are the organization's: not for an admin confined to what they administer.
  const confined = useConfined();
  return (
    <Stack space="space.300">
      <Heading size="large" as="h1">
        Settings
      </Heading>
      <ApiKeySection />
      {!bootstrap && (
        <>
          <AccessControlSection />
          <GeneralSection />
          <SyncHistorySection />
          <ExemptionsSection />
          {!confined && <NotificationsSection />}
          <ApiTokensSection />
        </>
      )}
    </Stack>
  );
}
