import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CreatedToken, TokenInput, TokenView } from '../../api/types';
import { baseRoutes, productAdminMe, renderApp } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const EXPORT: TokenView = {
  id: 7,
  name: 'Nightly export',
  prefix: 'owt_a1b2',
  scopes: ['read'],
  expiresAt: null,
  createdAt: '2026-01-01T09:00:00Z',
  createdBy: { accountId: 'acc-1', name: 'Ada Admin' },
  lastUsedAt: null,
};

const SECRET = 'owt_c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8';

/** A fake token list the routes read and change. */
function tokenRoutes(initial: TokenView[]) {
  let list = [...initial];
  return {
    ...baseRoutes(),
    'GET /api/v1/tokens': () => ({ status: 200, body: { items: list } }),
    'POST /api/v1/tokens': (body: unknown) => {
      const input = body as TokenInput;
      if (input.name === 'taken')
        return { status: 409, body: envelope('conflict', 'A token with this name exists.') };
      const created: CreatedToken = {
        id: 8,
        name: input.name,
        token: SECRET,
        prefix: 'owt_c3d4',
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
        createdAt: '2026-01-02T09:00:00Z',
      };
      const { token: _secret, ...view } = created;
      list = [
        ...list,
        { ...view, createdBy: { accountId: 'acc-1', name: 'Ada Admin' }, lastUsedAt: null },
      ];
      return { status: 201, body: created };
    },
    'DELETE /api/v1/tokens/{id}': (_: unknown, url: URL) => {
      list = list.filter((t) => `/api/v1/tokens/${t.id}` !== url.pathname);
      return { status: 204 };
    },
  };
}

describe('Settings → API tokens', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('lists the tokens: name, prefix, access, creator, dates', async () => {
    installFakeFetch(
      tokenRoutes([
        EXPORT,
        {
          ...EXPORT,
          id: 9,
          name: 'Old CI',
          prefix: 'owt_zz99',
          scopes: ['read', 'write'],
          expiresAt: '2020-01-31T23:59:59Z',
          lastUsedAt: '2026-01-01T08:00:00Z',
        },
      ]),
    );
    renderApp('?view=settings');
    const section = await screen.findByTestId('api-tokens');
    await waitFor(() => expect(within(section).getAllByTestId('token-row')).toHaveLength(2));
    const [first, second] = within(section).getAllByTestId('token-row');
    expect(first).toHaveTextContent('Nightly export');
    expect(first).toHaveTextContent('owt_a1b2…');
    expect(first).toHaveTextContent('Read');
    expect(first).not.toHaveTextContent('Read and write');
    expect(first).toHaveTextContent('Ada Admin');
    expect(first).toHaveTextContent('Never');
    expect(second).toHaveTextContent('Read and write');
    expect(second).toHaveTextContent('Expired');
    const headers = within(within(section).getByTestId('tokens-table'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Name',
      'Prefix',
      'Access',
      'Created by',
      'Created',
      'Last used',
      'Expires',
      'Revoke',
    ]);
  });

  it('creates a token and shows it once, with a copy button and a curl example', async () => {
    const calls = installFakeFetch(tokenRoutes([]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('api-tokens');
    expect(await within(section).findByTestId('tokens-empty')).toBeInTheDocument();

    // A name is required.
    await user.click(within(section).getByTestId('token-create'));
    expect(within(section).getByText('Enter a name for the token.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(within(section).getByLabelText('Name'), 'Nightly CI');
    await user.click(within(section).getByLabelText('Read and write'));
    fireEvent.change(within(section).getByLabelText('Expiry date (optional)'), {
      target: { value: '2099-06-30' },
    });
    await user.click(within(section).getByTestId('token-create'));

    const modal = await screen.findByTestId('token-created-modal');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Nightly CI',
      scopes: ['read', 'write'],
      expiresAt: '2099-06-30',
    });
    expect(within(modal).getByTestId('token-once-warning')).toHaveTextContent(
      "it won't be shown again",
    );
    const field = within(modal).getByLabelText('Token “Nightly CI”');
    expect(field).toHaveValue(SECRET);
    expect(field).toHaveAttribute('readonly');
    await waitFor(() => expect(field).toHaveFocus());
    expect(within(modal).getByTestId('token-curl')).toHaveTextContent(
      `curl -H "Authorization: Bearer ${SECRET}" ${window.location.origin}/api/v1/me`,
    );

    await user.click(within(modal).getByTestId('copy-token'));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(within(modal).getByTestId('copy-status')).toHaveTextContent(
      'Token copied to the clipboard.',
    );
    await user.click(within(modal).getByTestId('copy-curl'));
    expect(await navigator.clipboard.readText()).toContain(`Bearer ${SECRET}`);

    await user.click(within(modal).getByTestId('token-created-done'));
    await waitFor(() =>
      expect(screen.queryByTestId('token-created-modal')).not.toBeInTheDocument(),
    );
    // Gone for good: the list shows the prefix only, and the form is empty again.
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
    await waitFor(() =>
      expect(within(section).getByTestId('token-row')).toHaveTextContent('Nightly CI'),
    );
    expect(within(section).getByTestId('token-row')).toHaveTextContent('owt_c3d4…');
    expect(within(section).getByLabelText('Name')).toHaveValue('');
  });

  it('sends no expiry when none is chosen, and shows the server’s error', async () => {
    const calls = installFakeFetch(tokenRoutes([]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('api-tokens');
    await user.type(await within(section).findByLabelText('Name'), 'taken');
    await user.click(within(section).getByTestId('token-create'));
    expect(await within(section).findByTestId('error-message')).toHaveTextContent(
      'A token with this name exists.',
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'taken',
      scopes: ['read'],
    });
    expect(screen.queryByTestId('token-created-modal')).not.toBeInTheDocument();
  });

  it('revokes a token after a confirmation naming it', async () => {
    const calls = installFakeFetch(tokenRoutes([EXPORT]));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('api-tokens');
    await user.click(
      await within(section).findByRole('button', { name: 'Revoke the token Nightly export' }),
    );

    const modal = await screen.findByTestId('revoke-token-modal');
    expect(modal).toHaveTextContent('Revoke the token “Nightly export”?');
    expect(modal).toHaveTextContent('owt_a1b2…');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(modal).getByTestId('revoke-token-confirm'));

    await waitFor(() => expect(within(section).getByTestId('tokens-empty')).toBeInTheDocument());
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/v1/tokens/7');
    await waitFor(() => expect(screen.queryByTestId('revoke-token-modal')).not.toBeInTheDocument());
    expect(ap.flag?.create).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Token “Nightly export” revoked' }),
    );
  });

  it('offers a product admin to revoke only their own tokens', async () => {
    const theirs: TokenView = {
      ...EXPORT,
      id: 9,
      name: 'Someone else’s',
      prefix: 'owt_z9y8',
      createdBy: { accountId: 'acc-2', name: 'Bo Admin' },
    };
    installFakeFetch({
      ...tokenRoutes([EXPORT, theirs]),
      'GET /api/v1/me': () => ({ status: 200, body: productAdminMe() }),
    });
    renderApp('?view=settings');
    const section = await screen.findByTestId('api-tokens');
    const [mine, other] = await within(section).findAllByTestId('token-row');
    expect(within(mine!).getByTestId('token-revoke')).toBeInTheDocument();
    expect(within(other!).queryByTestId('token-revoke')).not.toBeInTheDocument();
  });
});
