import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ReactNode, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  UnsavedChangesContext,
  useUnsavedChanges,
  useUnsavedChangesPrompt,
} from './unsavedChanges';

/** The shell's side, with a "Leave" standing for the app's navigation. */
function Shell({ onLeave, children }: { onLeave: () => void; children: ReactNode }) {
  const { unsaved, prompt } = useUnsavedChangesPrompt();
  return (
    <UnsavedChangesContext.Provider value={unsaved}>
      {children}
      <button onClick={() => unsaved.confirmDiscard(onLeave)}>Leave</button>
      {prompt}
    </UnsavedChangesContext.Provider>
  );
}

interface FormProps {
  name: string;
  onDiscard: () => void;
  onClose: () => void;
}

/** A form holding input while its field is not empty, with its own "Close". */
function Form({ name, onDiscard, onClose }: FormProps) {
  const [text, setText] = useState('');
  const { confirmDiscard } = useUnsavedChanges(text !== '', onDiscard);
  return (
    <>
      <input aria-label={name} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      <button onClick={() => confirmDiscard(onClose)}>Close {name}</button>
    </>
  );
}

function renderTwoForms() {
  const spies = {
    leave: vi.fn(),
    discardA: vi.fn(),
    discardB: vi.fn(),
    closeA: vi.fn(),
    closeB: vi.fn(),
  };
  render(
    <Shell onLeave={spies.leave}>
      <Form name="A" onDiscard={spies.discardA} onClose={spies.closeA} />
      <Form name="B" onDiscard={spies.discardB} onClose={spies.closeB} />
    </Shell>,
  );
  return { spies, user: userEvent.setup() };
}

const reload = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('unsaved input of several forms on one page', () => {
  it('asks once for all of them; keeping edits both, discarding leaves once', async () => {
    const { spies, user } = renderTwoForms();
    await user.click(screen.getByText('Leave'));
    expect(spies.leave).toHaveBeenCalledTimes(1);
    expect(reload()).toBe(false);

    await user.type(screen.getByLabelText('A'), 'a');
    await user.type(screen.getByLabelText('B'), 'b');
    expect(reload()).toBe(true);
    await user.click(screen.getByText('Leave'));
    expect(await screen.findAllByTestId('discard-changes-modal')).toHaveLength(1);
    await user.click(screen.getByTestId('discard-changes-keep'));
    await waitFor(() =>
      expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('A')).toHaveValue('a');
    expect(screen.getByLabelText('B')).toHaveValue('b');
    expect(spies.leave).toHaveBeenCalledTimes(1);

    await user.click(screen.getByText('Leave'));
    expect(await screen.findAllByTestId('discard-changes-modal')).toHaveLength(1);
    await user.click(screen.getByTestId('discard-changes-confirm'));
    expect(spies.leave).toHaveBeenCalledTimes(2);
    expect(spies.discardA).toHaveBeenCalledTimes(1);
    expect(spies.discardB).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
  });

  it('asks when only one of them holds input', async () => {
    const { spies, user } = renderTwoForms();
    await user.type(screen.getByLabelText('B'), 'b');
    await user.click(screen.getByText('Leave'));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(spies.leave).toHaveBeenCalledTimes(1);
    expect(spies.discardA).not.toHaveBeenCalled();
    expect(spies.discardB).toHaveBeenCalledTimes(1);
  });

  it('closes a form at once when only another one holds input', async () => {
    const { spies, user } = renderTwoForms();
    await user.type(screen.getByLabelText('A'), 'a');
    await user.click(screen.getByText('Close B'));
    expect(spies.closeB).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
  });

  it('asks about a form’s own input when it closes, and discards only that', async () => {
    const { spies, user } = renderTwoForms();
    await user.type(screen.getByLabelText('A'), 'a');
    await user.type(screen.getByLabelText('B'), 'b');
    await user.click(screen.getByText('Close A'));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(spies.closeA).toHaveBeenCalledTimes(1);
    expect(spies.discardA).toHaveBeenCalledTimes(1);
    expect(spies.discardB).not.toHaveBeenCalled();
    expect(spies.leave).not.toHaveBeenCalled();
  });
});
