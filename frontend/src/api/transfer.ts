// Exports of users (a file download) and the import of a CSV as a selection.
import { useMutation } from '@tanstack/react-query';
import { api, call } from './client';
import { type ApiError, parseErrorEnvelope, toApiError } from './errors';
import type { ExportFormat, ExportRequest, ImportResult } from './types';

/** The file name of a `Content-Disposition` header (RFC 6266 `filename*` first), or null. */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // Badly encoded: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name === '' ? null : name;
}

/** Hands a file to the browser's downloads through a temporary `<a download>`. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the download time to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A downloaded export. */
export interface ExportFile {
  blob: Blob;
  filename: string;
}

/** Runs an export with the API's auth and returns the file (not yet saved). */
export async function fetchExport(request: ExportRequest): Promise<ExportFile> {
  let result;
  try {
    result = await api.POST('/api/v1/users/export', { body: request, parseAs: 'blob' });
  } catch (error) {
    throw toApiError(error);
  }
  if (!result.response.ok || result.data === undefined) {
    throw parseErrorEnvelope(result.response.status, result.error);
  }
  const filename =
    dispositionFilename(result.response.headers.get('Content-Disposition')) ??
    `orgwarden-users.${request.format}`;
  return { blob: result.data, filename };
}

/** "Export": fetches the file and saves it. */
export function useExportUsers() {
  return useMutation<ExportFile, ApiError, ExportRequest>({
    mutationFn: async (request) => {
      const file = await fetchExport(request);
      saveFile(file.blob, file.filename);
      return file;
    },
  });
}

/** "Import": a CSV of emails or account ids → the matching users. */
export function useImportSelection() {
  return useMutation<ImportResult, ApiError, string>({
    mutationFn: (csv) => call(api.POST('/api/v1/users/import-selection', { body: { csv } })),
  });
}

/** The export formats, as the menu offers them. */
export const EXPORT_FORMATS: ReadonlyArray<{ value: ExportFormat; label: string }> = [
  { value: 'csv', label: 'CSV' },
  { value: 'json', label: 'JSON' },
  { value: 'xlsx', label: 'Excel (XLSX)' },
];
