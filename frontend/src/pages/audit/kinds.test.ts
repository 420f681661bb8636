import { describe, expect, it } from 'vitest';
import { KIND_LABELS, KIND_OPTIONS } from './kinds';

describe('Audit kind filter', () => {
  it('offers every family and every kind, tasks and webhooks included', () => {
    const values = KIND_OPTIONS.map((o) => o.value);
    for (const kind of Object.keys(KIND_LABELS)) {
      expect(values).toContain(kind);
      expect(values).toContain(kind.split('.')[0]);
    }
    expect(KIND_OPTIONS.find((o) => o.value === 'task')?.label).toBe('Automated tasks (all)');
    expect(KIND_OPTIONS.find((o) => o.value === 'webhook.created')?.label).toBe(
      'Webhook created (webhook.created)',
    );
  });
});
