import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';

const STATES: Record<string, { label: string; appearance: ThemeAppearance }> = {
  pending: { label: 'Pending', appearance: 'inprogress' },
  succeeded: { label: 'Succeeded', appearance: 'success' },
  failed: { label: 'Failed', appearance: 'removed' },
};

/** A delivery's state: pending (waiting for an attempt), succeeded or failed for good. */
export function DeliveryStateLozenge({ state }: { state: string }) {
  const known = STATES[state] ?? { label: state, appearance: 'default' as const };
  return (
    <Lozenge appearance={known.appearance} testId="delivery-state">
      {known.label}
    </Lozenge>
  );
}
