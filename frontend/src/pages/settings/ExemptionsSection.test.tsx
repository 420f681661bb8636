import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { revealAppTop } from '../../ap';
import type { Exemption, ExemptionInput } from '../../api/types';
import { baseRoutes, productAdminMe, renderApp } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { GROUPS } from '../../test/operations';

vi.mock('../../ap', async (importOriginal) => {
  const ap = await importOriginal<typeof import('../../ap')>();
  return { ...ap, revealAppTop: vi.fn(ap.revealAppTop) };
});

const SERVICE: Exemption = {
  kind: 'user',
  id: 'acc-svc',
  name: 'Build Bot',
  note: 'service account',
  createdBy: 'acc-1',
  createdAt: '2026-01-01T09:00:00Z',
};

/** A fake exemption list the routes read and change. */
function exemptionRoutes(initial: Exemption[]) {
  let list = [...initial];
  return {
    ...baseRoutes(),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'GET /api/v1/settings/exemptions': () => ({ status: 200, body: list }),
    'POST /api/v1/settings/exemptions': (body: unknown) => {
      const input = body as ExemptionInput;
      if (input.id === 'nobody') {
        return {
          status: 400,
          body: envelope(
            'validation_failed',
            'id: no such user or group in the organization (as of the last sync)',
          ),
        };
      }
      const name = input.kind === 'group' ? GROUPS.find((g) => g.id === input.id)?.name : null;
      const saved: Exemption = {
        ...input,
        note: input.note ?? '',
        name,
        createdBy: 'acc-1',
        createdAt: '2026-01-02T09:00:00Z',
      };
      list = [...list, saved];
      return { status: 201, body: saved };
    },
    'DELETE /api/v1/settings/exemptions': (_: unknown, url: URL) => {
      list = list.filter(
        (e) => !(e.kind === url.searchParams.get('kind') && e.id === url.searchParams.get('id')),
      );
      return { status: 204 };
    },
  };
}

describe('Settings → Exemptions', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('lists exemptions and adds a user by account id with a note', async () => {
    const calls = installFakeFetch(exemptionRoutes([SERVICE]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('exemptions');
    await waitFor(() => expect(within(section).getAllByTestId('exemption-row')).toHaveLength(1));
    expect(within(section).getByTestId('exemption-row')).toHaveTextContent('User: Build Bot');
    expect(within(section).getByTestId('exemption-row')).toHaveTextContent('service account');

    await user.type(within(section).getByTestId('exemption-id'), 'nobody');
    await user.click(within(section).getByTestId('exemption-add'));
    expect(await within(section).findByTestId('error-message')).toHaveTextContent(
      'no such user or group',
    );

    await user.clear(within(section).getByTestId('exemption-id'));
    await user.type(within(section).getByTestId('exemption-id'), 'acc-ceo');
    await user.type(within(section).getByTestId('exemption-note'), 'the CEO');
    await user.click(within(section).getByTestId('exemption-add'));
    await waitFor(() => expect(within(section).getAllByTestId('exemption-row')).toHaveLength(2));
    const posts = calls
      .filter((c) => c.method === 'POST' && c.path === '/api/v1/settings/exemptions')
      .map((c) => c.body);
    expect(posts.at(-1)).toEqual({ kind: 'user', id: 'acc-ceo', note: 'the CEO' });
    expect(within(section).getByTestId('exemption-id')).toHaveValue('');
  });

  it('adds a group chosen from the organization', async () => {
    const calls = installFakeFetch(exemptionRoutes([]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('exemptions');
    expect(await within(section).findByTestId('exemptions-empty')).toBeInTheDocument();
    fireEvent.keyDown(within(section).getByLabelText('Exempt a'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'Group' }));
    fireEvent.keyDown(await within(section).findByLabelText('Group'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'staff' }));
    await user.click(within(section).getByTestId('exemption-add'));
    await waitFor(() =>
      expect(within(section).getByTestId('exemption-row')).toHaveTextContent('Group: staff'),
    );
    expect(
      calls.find((c) => c.method === 'POST' && c.path === '/api/v1/settings/exemptions')?.body,
    ).toEqual({ kind: 'group', id: 'g-staff', note: '' });
  });

  it('removes an exemption after confirmation', async () => {
    const calls = installFakeFetch(exemptionRoutes([SERVICE]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('exemptions');
    await user.click(
      await within(section).findByRole('button', { name: 'Remove the exemption of Build Bot' }),
    );
    const modal = await screen.findByTestId('remove-exemption-modal');
    expect(modal).toHaveTextContent('Remove the exemption of Build Bot?');
    expect(revealAppTop).toHaveBeenCalled();
    await user.click(within(modal).getByTestId('remove-exemption-confirm'));
    await waitFor(() =>
      expect(within(section).getByTestId('exemptions-empty')).toBeInTheDocument(),
    );
    const removal = calls.find((c) => c.method === 'DELETE');
    expect(removal?.path).toBe('/api/v1/settings/exemptions');
    expect(new URLSearchParams(removal?.query)).toEqual(
      new URLSearchParams('kind=user&id=acc-svc'),
    );
  });

  it('lists the exemptions to a product admin, without adding or removing', async () => {
    installFakeFetch({
      ...exemptionRoutes([SERVICE]),
      'GET /api/v1/me': () => ({ status: 200, body: productAdminMe() }),
    });
    renderApp('?view=settings');
    const section = await screen.findByTestId('exemptions');
    expect(await within(section).findByTestId('exemption-row')).toHaveTextContent('Build Bot');
    expect(within(section).getByTestId('exemptions-readonly')).toHaveTextContent(
      'Only organization admins can add or remove exemptions.',
    );
    expect(within(section).queryByTestId('exemption-remove')).not.toBeInTheDocument();
    expect(within(section).queryByTestId('exemption-form')).not.toBeInTheDocument();
  });
});
