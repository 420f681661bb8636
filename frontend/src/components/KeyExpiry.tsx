import Button from '@atlaskit/button/new';
import { useApiKey } from '../api/queries';
import { daysUntil, describeDays, expiryState, formatDate } from '../expiry';
import { useNow } from '../hooks';
import { useRouter } from '../route';

/** The `panel` route parameter that opens Settings at the Organization API key. */
export const API_KEY_PANEL = 'api-key';

/**
 * The Organization API key's expiry in the header, from 14 days before it expires (and once it
 * has): a link to Settings, where the key is replaced. Nothing while the key is far from expiry.
 */
export function KeyExpiry() {
  const apiKey = useApiKey();
  const { navigate } = useRouter();
  // Days flip at midnight: look again every few minutes.
  const now = useNow(5 * 60_000);
  if (!apiKey.data) return null;
  const days = daysUntil(apiKey.data.expiresAt, new Date(now));
  const state = expiryState(days);
  if (days === null || (state !== 'soon' && state !== 'expired')) return null;
  return (
    <Button
      spacing="compact"
      appearance={state === 'expired' ? 'danger' : 'warning'}
      onClick={() => navigate('settings', { panel: API_KEY_PANEL })}
      title={`The Organization API key ${state === 'expired' ? 'expired' : 'expires'} on ${formatDate(apiKey.data.expiresAt)}. Replace it in Settings.`}
      testId="header-key-expiry"
    >
      API key {describeDays(days)}
    </Button>
  );
}
