import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives';
import type { Preview } from '../../api/types';
import { actionLabel, skipReasons, users } from '../../components/operations/describe';
import { PREVIEW_OUTCOMES, stateWords } from '../../components/operations/describeStates';

/** A previewed step's outcome: "Change" or "Skip". */
function OutcomeLozenge({ outcome }: { outcome: string }) {
  const words = stateWords(PREVIEW_OUTCOMES, outcome);
  return <Lozenge appearance={words.appearance}>{words.label}</Lozenge>;
}

/** How many planned steps the preview lists in its table. */
const SHOWN_ITEMS = 10;

/** A preview: totals, act/skip per action, skip reasons with counts and the first steps. */
export function PreviewSummary({ preview }: { preview: Preview }) {
  const reasons = skipReasons(preview.totals.bySkipReason);
  const first = preview.items.slice(0, SHOWN_ITEMS);
  return (
    <Stack space="space.200" testId="preview-summary">
      <p data-testid="preview-totals">
        <strong>{users(preview.users)}</strong> selected:{' '}
        <strong>{preview.totals.act.toLocaleString()}</strong>{' '}
        {preview.totals.act === 1 ? 'change' : 'changes'} will be made,{' '}
        <strong>{preview.totals.skip.toLocaleString()}</strong>{' '}
        {preview.totals.skip === 1 ? 'step' : 'steps'} skipped.
      </p>

      <table className="ow-table" data-testid="preview-per-action">
        <caption className="ow-visually-hidden">Changes and skips per action</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Will change</th>
            <th scope="col">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {preview.totals.byAction.map((c) => (
            <tr key={c.actionIndex} data-testid="preview-action-row">
              <td>
                {c.actionIndex + 1}. {actionLabel(c.action)}
              </td>
              <td data-testid="preview-act">{c.act.toLocaleString()}</td>
              <td data-testid="preview-skip">{c.skip.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.truncated && (
        <p className="ow-subtle" data-testid="preview-truncated">
          The preview lists only the first {preview.items.length.toLocaleString()} of{' '}
          {preview.total.toLocaleString()} steps; the counts above include every step.
        </p>
      )}

      {reasons.length > 0 && (
        <section aria-labelledby="skip-reasons-heading">
          <Heading size="xxsmall" as="h3" id="skip-reasons-heading">
            Why steps are skipped
          </Heading>
          <ul className="ow-reasons" data-testid="skip-reasons">
            {reasons.map(([reason, count]) => (
              <li key={reason} data-testid="skip-reason">
                <span className="ow-reason-count">{count.toLocaleString()}</span> {reason}
              </li>
            ))}
          </ul>
        </section>
      )}

      {first.length > 0 && (
        <section aria-labelledby="preview-items-heading">
          <Heading size="xxsmall" as="h3" id="preview-items-heading">
            {preview.total > first.length
              ? `First ${first.length} of ${preview.total.toLocaleString()} steps`
              : 'Steps'}
          </Heading>
          <table className="ow-table" data-testid="preview-items">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {first.map((item, i) => (
                <tr key={`${item.accountId}-${item.actionIndex}-${i}`} data-testid="preview-item">
                  <td title={item.accountId}>{item.name ?? item.accountId}</td>
                  <td>{actionLabel(item.action)}</td>
                  <td>
                    <OutcomeLozenge outcome={item.outcome} />
                  </td>
                  <td>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Stack>
  );
}
