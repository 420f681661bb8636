// A settings form against saved values that may change while it is open (a refetch after another
// tab or another admin saved): a clean form follows them, one holding input keeps it and says so.
import { hashKey } from '@tanstack/react-query';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { Fragment, type ReactNode, useEffect, useState } from 'react';

/** The saved values a form sees: those it started from and the newest the server answered. */
export interface SavedValues<T> {
  /** What the form started from: its input is unsaved while it differs from these. */
  base: T;
  /** The newest saved values; the same as `base` unless they changed since the form started. */
  latest: T;
  /** Starts the form again from `values` (dropping its input): the new saved ones, or a save's answer. */
  restart: (values: T) => void;
}

interface FromSavedProps<T> {
  /** The saved values as the query answers them now. */
  latest: T;
  children: (saved: SavedValues<T>) => ReactNode;
}

/**
 * Renders a form from the saved values it started with, kept while newer ones arrive; the form is
 * mounted anew (its input and its save's state dropped) each time it starts again.
 */
export function FromSaved<T>({ latest, children }: FromSavedProps<T>) {
  const [base, setBase] = useState(latest);
  return <Fragment key={hashKey([base])}>{children({ base, latest, restart: setBase })}</Fragment>;
}

/**
 * The form's side: `differs(values)` tells whether its input differs from those saved values.
 * When the saved values changed since the form started, a form whose input differs from neither
 * the old nor the new ones starts again from the new ones; otherwise the answer is true, and the
 * form shows `ChangedElsewhereMessage` and keeps the input (a save sends it as shown).
 */
export function useChangedElsewhere<T>(
  { base, latest, restart }: SavedValues<T>,
  differs: (values: T) => boolean,
): boolean {
  const changed = hashKey([base]) !== hashKey([latest]);
  const kept = changed && differs(base) && differs(latest);
  const follow = changed && !kept;
  useEffect(() => {
    if (follow) restart(latest);
  }, [follow, latest, restart]);
  return kept;
}

interface ChangedElsewhereMessageProps {
  /** Drops the input and shows the saved values. */
  onLoad: () => void;
  testId: string;
}

/** Says that the saved values changed since the admin started editing; offers to load them. */
export function ChangedElsewhereMessage({ onLoad, testId }: ChangedElsewhereMessageProps) {
  return (
    <SectionMessage
      appearance="warning"
      testId={testId}
      actions={[
        <SectionMessageAction key="load" onClick={onLoad} testId={`${testId}-load`}>
          Load the saved settings
        </SectionMessageAction>,
      ]}
    >
      <p>
        These settings were changed elsewhere since you started editing. Load them to drop your
        changes, or save yours to replace them.
      </p>
    </SectionMessage>
  );
}
