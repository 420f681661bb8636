import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import { ApiKeySection } from './ApiKeySection';
import { ExemptionsSection } from './ExemptionsSection';
import { GeneralSection } from './GeneralSection';

/** Settings (also the Connect "configure" page, `?view=settings`). */
export default function SettingsPage() {
  return (
    <Stack space="space.300">
      <Heading size="large" as="h1">
        Settings
      </Heading>
      <ApiKeySection />
      <GeneralSection />
      <ExemptionsSection />
    </Stack>
  );
}
