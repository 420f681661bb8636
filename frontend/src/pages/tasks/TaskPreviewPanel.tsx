import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useTaskPreview } from '../../api/tasks';
import type { TaskPreview, TaskPreviewRequest } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { users } from '../../components/operations/describe';

/** "Ada, Bob and 3 more". */
export function namesInWords(preview: TaskPreview): string {
  const shown = preview.sample.map((u) => u.name);
  const more = preview.total - shown.length;
  if (more <= 0)
    return shown.length <= 1
      ? shown.join('')
      : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `${shown.join(', ')} and ${more.toLocaleString()} more`;
}

/** "Who this task would touch now": the live count and first names, from the server's plan. */
export function TaskPreviewPanel({ request }: { request: TaskPreviewRequest }) {
  const preview = useTaskPreview(request);
  return (
    <section
      aria-labelledby="task-preview-heading"
      className="ow-panel"
      data-testid="task-preview"
      aria-live="polite"
      aria-busy={preview.isFetching}
    >
      <Stack space="space.100">
        <Heading size="small" as="h2" id="task-preview-heading">
          Who this task would touch now
        </Heading>
        {preview.isPending && (
          <Spinner size="medium" label="Working out who the task would touch" />
        )}
        {preview.isError && (
          <ErrorMessage
            error={preview.error}
            title="The preview failed"
            onRetry={() => void preview.refetch()}
          />
        )}
        {preview.data && (
          <>
            <p data-testid="task-preview-count">
              {preview.data.total === 0 ? (
                `Nobody: its saved filter matches ${users(preview.data.matched)}, and no step would change any of them right now.`
              ) : (
                <>
                  <strong>{users(preview.data.total)}</strong>: {namesInWords(preview.data)}.
                </>
              )}
            </p>
            <p className="ow-subtle" data-testid="task-preview-steps">
              The saved filter matches {users(preview.data.matched)} now:{' '}
              {preview.data.act.toLocaleString()} {preview.data.act === 1 ? 'change' : 'changes'},{' '}
              {preview.data.skip.toLocaleString()} {preview.data.skip === 1 ? 'step' : 'steps'}{' '}
              skipped.
            </p>
            <p className="ow-subtle">
              The saved filter is evaluated again at every run; organization admins, exempt users
              and groups, and IdP-synced groups are never changed.
            </p>
          </>
        )}
      </Stack>
    </section>
  );
}
