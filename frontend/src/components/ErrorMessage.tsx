import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { type ApiError, CLIENT_CODES, fieldMessages } from '../api/errors';

/** A heading for the codes the user can act on; others use the caller's title. */
const TITLES: Record<string, string> = {
  invalid_api_key: 'The API key is not valid',
  expired_api_key: 'The API key has expired',
  forbidden_api_key: 'The API key is not allowed to do this',
  admin_api_unreachable: "Atlassian's Admin API could not be reached",
  validation_failed: 'Some values need fixing',
  [CLIENT_CODES.network]: 'orgwarden could not be reached',
  [CLIENT_CODES.noHost]: 'Open orgwarden from Jira',
  [CLIENT_CODES.tokenUnavailable]: 'No Jira session',
};

interface ErrorMessageProps {
  error: ApiError;
  /** Heading when the code has none of its own. */
  title?: string;
  onRetry?: () => void;
  /** The message's test id (`error-message` unless the page holds several). */
  testId?: string;
}

/** Shows an `ApiError`: a heading for its code and the server's own message. */
export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
  testId = 'error-message',
}: ErrorMessageProps) {
  const fields = fieldMessages(error);
  const transient = error.status === 0 || error.status === 429 || error.status >= 500;
  return (
    <SectionMessage
      appearance={transient ? 'warning' : 'error'}
      title={TITLES[error.code] ?? title}
      actions={
        onRetry
          ? [
              <SectionMessageAction key="retry" onClick={onRetry}>
                Try again
              </SectionMessageAction>,
            ]
          : undefined
      }
      testId={testId}
    >
      <p data-error-code={error.code}>{error.message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, message]) => (
            <li key={field}>
              <strong>{field}</strong>: {message}
            </li>
          ))}
        </ul>
      )}
    </SectionMessage>
  );
}
