// Audit kinds in words, and the filter's choices: every family, then every kind.
import type { AuditKind } from '../../api/types';

/** What each kind means, for people. */
export const KIND_LABELS: Record<AuditKind, string> = {
  'lifecycle.installed': 'App installed',
  'lifecycle.enabled': 'App enabled',
  'lifecycle.disabled': 'App disabled',
  'lifecycle.uninstalled': 'App uninstalled',
  'apiKey.saved': 'API key saved',
  'apiKey.replaced': 'API key replaced',
  'apiKey.deleted': 'API key removed',
  'apiKey.checkFailed': 'API key refused',
  'settings.updated': 'Settings changed',
  'access.updated': 'Access control changed',
  'access.denied': 'Access refused',
  'exemption.added': 'Exemption added',
  'exemption.removed': 'Exemption removed',
  'filter.created': 'Filter saved',
  'filter.updated': 'Filter changed',
  'filter.deleted': 'Filter deleted',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'operation.created': 'Operation started',
  'operation.cancelled': 'Operation cancelled',
  'operation.reverted': 'Operation reverted',
  'operation.finished': 'Operation finished',
  'sync.started': 'Sync started',
  'sync.succeeded': 'Sync succeeded',
  'sync.failed': 'Sync failed',
  'export.downloaded': 'Data downloaded',
  'retention.applied': 'Old history deleted',
  'audit.broken': 'Audit trail found broken',
  'task.created': 'Task created',
  'task.updated': 'Task changed',
  'task.deleted': 'Task deleted',
  'task.run': 'Task ran',
  'webhook.created': 'Webhook created',
  'webhook.updated': 'Webhook changed',
  'webhook.deleted': 'Webhook deleted',
};

const FAMILIES: Record<string, string> = {
  lifecycle: 'App lifecycle (all)',
  apiKey: 'API key (all)',
  settings: 'Settings (all)',
  access: 'Access (all)',
  exemption: 'Exemptions (all)',
  filter: 'Saved filters (all)',
  token: 'API tokens (all)',
  operation: 'Operations (all)',
  sync: 'Syncs (all)',
  export: 'Downloads (all)',
  retention: 'Retention (all)',
  audit: 'Audit trail (all)',
  task: 'Automated tasks (all)',
  webhook: 'Webhooks (all)',
};

/** One choice of the kind filter. */
export interface KindOption {
  label: string;
  value: string;
}

/** Families first, then each kind. */
export const KIND_OPTIONS: KindOption[] = [
  ...Object.entries(FAMILIES).map(([value, label]) => ({ value, label })),
  ...Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label: `${label} (${value})` })),
];

/** The label of a kind (the kind itself when unknown). */
export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? kind;
}
