import Lozenge from '@atlaskit/lozenge';
import { DELIVERY_STATES, stateWords } from '../../../components/operations/describeStates';

/** A delivery's state: pending (waiting for an attempt), succeeded or failed for good. */
export function DeliveryStateLozenge({ state }: { state: string }) {
  const known = stateWords(DELIVERY_STATES, state);
  return (
    <Lozenge appearance={known.appearance} testId="delivery-state">
      {known.label}
    </Lozenge>
  );
}
