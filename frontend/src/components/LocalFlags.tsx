import Flag, { AutoDismissFlag, FlagGroup } from '@atlaskit/flag';
import { token } from '@atlaskit/tokens';
import { useSyncExternalStore } from 'react';
import {
  StatusErrorIcon as StatusError,
  StatusInformationIcon as StatusInformation,
  StatusSuccessIcon as StatusSuccess,
  StatusWarningIcon as StatusWarning,
} from '../icons';
import {
  type LocalFlag,
  dismissLocalFlag,
  localFlagsSnapshot,
  subscribeLocalFlags,
} from '../localFlags';

function icon(type: LocalFlag['type']) {
  switch (type) {
    case 'success':
      return <StatusSuccess label="Success" color={token('color.icon.success')} />;
    case 'warning':
      return <StatusWarning label="Warning" color={token('color.icon.warning')} />;
    case 'error':
      return <StatusError label="Error" color={token('color.icon.danger')} />;
    default:
      return <StatusInformation label="Information" color={token('color.icon.information')} />;
  }
}

/** Our own flags, for when there is no Jira host to show them (see ap.ts `showFlag`). */
export default function LocalFlags() {
  const flags = useSyncExternalStore(subscribeLocalFlags, localFlagsSnapshot);
  return (
    <FlagGroup onDismissed={(id) => dismissLocalFlag(Number(id))}>
      {flags.map((flag) => {
        const Component = flag.close === 'auto' ? AutoDismissFlag : Flag;
        return (
          <Component
            key={flag.id}
            id={flag.id}
            title={flag.title}
            description={flag.body}
            icon={icon(flag.type)}
          />
        );
      })}
    </FlagGroup>
  );
}
