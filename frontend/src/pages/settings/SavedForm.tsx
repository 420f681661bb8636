// A settings form over a query of its saved values: loading, a first read that failed, and a
// re-read that failed, which keeps the form (and the admin's input) on what was read before.
import Spinner from '@atlaskit/spinner';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FromSaved, type SavedValues } from './savedValues';

interface SavedFormProps<T extends object> {
  /** The query of the saved values. */
  query: UseQueryResult<T, ApiError>;
  /** The spinner's label, and the headings of a failed first read and of a failed re-read. */
  titles: { loading: string; loadFailed: string; rereadFailed: string };
  /** Test ids of the two error messages. */
  testIds: { loadFailed?: string; rereadFailed: string };
  children: (saved: SavedValues<T>) => ReactNode;
}

/** The form of `children` once the saved values are read, kept through failed re-reads. */
export function SavedForm<T extends object>({
  query,
  titles,
  testIds,
  children,
}: SavedFormProps<T>) {
  if (query.isPending) {
    return <Spinner size="medium" label={titles.loading} />;
  }
  const latest = query.data;
  if (latest === undefined) {
    return (
      query.isError && (
        <ErrorMessage
          error={query.error}
          title={titles.loadFailed}
          onRetry={() => void query.refetch()}
          testId={testIds.loadFailed}
        />
      )
    );
  }
  return (
    <>
      {query.isError && (
        <ErrorMessage
          error={query.error}
          title={titles.rereadFailed}
          onRetry={() => void query.refetch()}
          testId={testIds.rereadFailed}
        />
      )}
      <FromSaved latest={latest}>{children}</FromSaved>
    </>
  );
}
