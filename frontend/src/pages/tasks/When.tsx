import { absoluteTime, relativeTime } from '../../time';

/** "in 3 days" or "2 hours ago", with the exact date and time as its title. */
export function When({ at, now }: { at: string; now: number }) {
  const time = Date.parse(at);
  return (
    <time dateTime={at} title={absoluteTime(at)} className="ow-nowrap">
      {time > now + 60_000 ? absoluteTime(at) : relativeTime(at, now)}
    </time>
  );
}
