import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { marketplaceOf } from '../../api/license';
import { baseRoutes, license, renderApp } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';

async function panelWith(body: unknown) {
  installFakeFetch({ ...baseRoutes(), 'GET /api/v1/license': () => ({ status: 200, body }) });
  renderApp('?view=dashboard');
  const panel = await screen.findByTestId('license-panel');
  await waitFor(() => expect(within(panel).getByTestId('license-edition')).toBeInTheDocument());
  return panel;
}

describe('License panel: the Marketplace license beside the edition', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('shows an active license with its type', async () => {
    const panel = await panelWith({
      ...license(),
      marketplaceLicense: { active: true, evaluation: false, type: 'COMMERCIAL' },
    });
    const fact = within(panel).getByTestId('license-marketplace');
    expect(fact).toHaveAttribute('data-standing', 'active');
    expect(fact).toHaveTextContent('Active');
    expect(fact).toHaveTextContent('commercial');
    expect(within(panel).queryByTestId('license-marketplace-help')).not.toBeInTheDocument();
    // Beside the edition: the fact right after it.
    const terms = within(panel)
      .getAllByRole('term')
      .map((t) => t.textContent);
    expect(terms.slice(0, 2)).toEqual(['Edition', 'Marketplace license']);
  });

  it('shows an evaluation', async () => {
    const panel = await panelWith({
      ...license(),
      marketplaceLicense: { active: true, evaluation: true, type: 'EVALUATION' },
    });
    expect(within(panel).getByTestId('license-marketplace')).toHaveTextContent('Evaluation');
    expect(within(panel).getByTestId('license-marketplace-help')).toHaveTextContent(
      'subscribe before it ends',
    );
  });

  it('shows "None" when Jira reports no license', async () => {
    const none = await panelWith({ ...license(), marketplaceLicense: null });
    expect(within(none).getByTestId('license-marketplace')).toHaveTextContent('None');
  });

  it('says what an inactive license blocks', async () => {
    const panel = await panelWith({
      ...license({ mayAct: false }),
      marketplaceLicense: { active: false, type: 'COMMERCIAL' },
    });
    expect(within(panel).getByTestId('license-marketplace')).toHaveTextContent('Inactive');
    expect(within(panel).getByTestId('license-marketplace-help')).toHaveTextContent(
      'bulk operations and automated tasks are refused',
    );
    expect(within(panel).getByTestId('license-may-act')).toBeInTheDocument();
  });

  it('shows only the edition when the server does not report the Marketplace license (today’s API)', async () => {
    const panel = await panelWith(license());
    expect(within(panel).getByTestId('license-edition')).toHaveTextContent('Standard');
    expect(within(panel).queryByTestId('license-marketplace')).not.toBeInTheDocument();
    expect(marketplaceOf(license())).toBeUndefined();
  });
});
