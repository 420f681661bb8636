// Cell contents shared by the user table and the detail panel.
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import { statusLabel, statusValue } from '../../filter';
import { absoluteTime, relativeTime } from '../../time';

/** Status as a Lozenge; rows spell it `not_invited`, filters `notInvited`. */
export function StatusLozenge({ status }: { status: string }) {
  const value = statusValue(status);
  const appearance: ThemeAppearance =
    value === 'active'
      ? 'success'
      : value === 'suspended'
        ? 'moved'
        : value === 'deactivated'
          ? 'removed'
          : 'default';
  return <Lozenge appearance={appearance}>{statusLabel(status)}</Lozenge>;
}

/** "3 days ago" with the exact time as a title, or "Never" (with when they joined). */
export function LastActive({
  at,
  joined,
  now,
}: {
  at: string | null | undefined;
  joined?: string | null;
  now: number;
}) {
  if (!at) {
    return (
      <span
        className="ow-subtle ow-nowrap"
        title={joined ? `Never active · joined ${absoluteTime(joined)}` : 'Never active'}
      >
        Never
      </span>
    );
  }
  return (
    <time dateTime={at} title={absoluteTime(at)} className="ow-nowrap">
      {relativeTime(at, now)}
    </time>
  );
}

/**
 * The first `max` items, then "+N"; every item (or `title`) as the title. Lines break between
 * items, never inside one (long names end in an ellipsis).
 */
export function Clipped({
  items,
  max = 2,
  empty = '—',
  title,
}: {
  items: string[];
  max?: number;
  empty?: string;
  title?: string;
}) {
  if (items.length === 0) return <span className="ow-subtle">{empty}</span>;
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  return (
    <span title={title ?? items.join('\n')}>
      {shown.map((item, i) => (
        <span key={`${i}:${item}`}>
          <span className="ow-item">
            {item}
            {i < shown.length - 1 ? ',' : ''}
          </span>{' '}
        </span>
      ))}
      {rest > 0 && <span className="ow-subtle ow-nowrap">+{rest}</span>}
    </span>
  );
}

/** An email that may break before its "@". */
export function Email({ email }: { email: string | null | undefined }) {
  if (!email) return <span className="ow-subtle">hidden</span>;
  const at = email.lastIndexOf('@');
  if (at <= 0) return <span>{email}</span>;
  return (
    <span>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </span>
  );
}
