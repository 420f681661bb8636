import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { Suspense, lazy, useRef, useState } from 'react';
import { useApiKey, useMe } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { API_KEY_PANEL } from '../../components/KeyExpiry';
import { usePanelFocus } from '../../hooks';
import { ApiKeyForm } from './ApiKeyForm';
import { ApiKeySummary } from './ApiKeySummary';

const RemoveApiKeyModal = lazy(() => import('./RemoveApiKeyModal'));

/** Settings → Organization API key: enter, check, save, view masked, replace, remove. */
export function ApiKeySection() {
  const apiKey = useApiKey();
  const manage = useMe().data?.access.as === 'orgAdmin';
  const [replacing, setReplacing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const panel = useRef<HTMLElement>(null);
  usePanelFocus(API_KEY_PANEL, panel);

  let content;
  if (apiKey.isPending) {
    content = <Spinner size="medium" label="Loading the API key" />;
  } else if (apiKey.isError) {
    content = (
      <ErrorMessage
        error={apiKey.error}
        title="The API key could not be loaded"
        onRetry={() => void apiKey.refetch()}
      />
    );
  } else if (apiKey.data === null) {
    content = <ApiKeyForm />;
  } else if (replacing) {
    content = (
      <ApiKeyForm
        key="replace"
        onCancel={() => setReplacing(false)}
        onSaved={() => setReplacing(false)}
      />
    );
  } else {
    content = (
      <ApiKeySummary
        view={apiKey.data}
        manage={manage}
        onReplace={() => setReplacing(true)}
        onRemove={() => setRemoving(true)}
      />
    );
  }

  return (
    <section
      aria-labelledby="api-key-heading"
      className="ow-panel"
      ref={panel}
      tabIndex={-1}
      data-testid="api-key-panel"
    >
      <Stack space="space.200">
        <Heading size="small" as="h2" id="api-key-heading">
          Organization API key
        </Heading>
        <Text as="p" color="color.text.subtle">
          orgwarden reads and manages your organization's users through the Atlassian Admin API with
          this key. Without a valid key it does nothing else.
        </Text>
        {content}
      </Stack>
      {removing && apiKey.data && (
        <Suspense fallback={null}>
          <RemoveApiKeyModal orgName={apiKey.data.orgName} onClose={() => setRemoving(false)} />
        </Suspense>
      )}
    </section>
  );
}
