import Button from '@atlaskit/button/new';
import type { CustomTriggerProps } from '@atlaskit/dropdown-menu';
import type { ReactNode } from 'react';

interface TriggerOptions {
  /** The button's test id (the menu's own `testId` would name it `<testId>--trigger`). */
  testId: string;
  isLoading?: boolean;
  isDisabled?: boolean;
}

/**
 * The `trigger` of an `@atlaskit/dropdown-menu`: an Atlaskit button that can show a spinner while
 * what the menu started runs, or be disabled.
 */
export function buttonTrigger(
  label: ReactNode,
  { testId, isLoading = false, isDisabled = false }: TriggerOptions,
) {
  return function renderTrigger({
    triggerRef,
    testId: _menuTestId,
    ...props
  }: CustomTriggerProps<HTMLButtonElement>) {
    return (
      <Button
        {...props}
        ref={triggerRef}
        isLoading={isLoading}
        isDisabled={isDisabled}
        testId={testId}
      >
        {label}
      </Button>
    );
  };
}
