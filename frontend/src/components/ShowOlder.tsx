import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives';

/** What a newest-first list paged by cursor offers (TanStack Query's infinite query). */
interface OlderPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** A "Show older …" button that loads the list's next page, while there is one. */
export function ShowOlder({
  pages,
  label,
  testId,
}: {
  pages: OlderPages;
  label: string;
  testId: string;
}) {
  if (!pages.hasNextPage) return null;
  return (
    <Inline>
      <Button
        onClick={() => void pages.fetchNextPage()}
        isLoading={pages.isFetchingNextPage}
        testId={testId}
      >
        {label}
      </Button>
    </Inline>
  );
}
