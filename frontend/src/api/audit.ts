// The audit trail (`/api/v1/audit`): pages newest first, the export and the chain check.
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from './types';

/** What the Audit log filters by (empty strings mean "any"). */
export interface AuditFilters {
  kind: string;
  actor: string;
  /** `YYYY-MM-DD`, inclusive, in the browser's time zone. */
  from: string;
  /** `YYYY-MM-DD`, inclusive, in the browser's time zone. */
  to: string;
}

const PAGE_SIZE = 50;

/** The filters as query parameters (days become instants of the browser's time zone). */
export function auditQuery(filters: AuditFilters): AuditQuery {
  const day = (value: string, plusDays: number) => {
    const at = new Date(`${value}T00:00:00`);
    at.setDate(at.getDate() + plusDays);
    return at.toISOString();
  };
  const query: AuditQuery = {};
  if (filters.kind) query.kind = filters.kind;
  if (filters.actor.trim()) query.actor = filters.actor.trim();
  if (filters.from) query.from = day(filters.from, 0);
  if (filters.to) query.to = day(filters.to, 1);
  return query;
}

/** The entries matching `filters`, newest first, a page at a time ("Show older"). */
export function useAuditEntries(filters: AuditFilters) {
  const query = auditQuery(filters);
  return useInfiniteQuery<AuditPage, ApiError>({
    queryKey: ['audit', query],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/audit', {
          params: {
            query: {
              ...query,
              limit: PAGE_SIZE,
              ...(pageParam ? { cursor: String(pageParam) } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 10_000,
  });
}

/** One entry with its details whole (a page abridges long ones), read once `enabled`. */
export function useAuditEntry(id: number, enabled: boolean) {
  return useQuery<AuditEntry, ApiError>({
    queryKey: ['audit-entry', id],
    queryFn: () => call(api.GET('/api/v1/audit/{id}', { params: { path: { id } } })),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Walks the hash chain on the server. */
export function useVerifyAudit() {
  return useMutation<AuditVerification, ApiError, void>({
    mutationFn: () => call(api.GET('/api/v1/audit/verify')),
  });
}

/**
 * Downloads the filtered trail. The app runs in Jira's iframe, where a plain link would carry
 * no token: the file is fetched with one, then saved from a Blob.
 */
export async function downloadAudit(filters: AuditFilters, format: 'csv' | 'json'): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/audit/export', {
      params: { query: { ...auditQuery(filters), format } },
      parseAs: 'blob',
    }),
  );
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `orgwarden-audit.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
