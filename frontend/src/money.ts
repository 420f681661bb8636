// Seat prices and savings are monthly amounts in the tenant's currency (Settings; USD by default,
// as Atlassian Cloud bills in USD).

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat | null {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
    } catch {
      return null;
    }
    formatters.set(currency, f);
  }
  return f;
}

/** "$1,234.50" or "€1,200": whole amounts without cents; an unknown code is written before the amount. */
export function money(amount: number, currency = 'USD'): string {
  const f = formatter(currency);
  if (!f) return `${currency} ${amount.toFixed(2).replace(/\.00$/, '')}`;
  const text = f.format(amount);
  return text.replace(/\.00$/, '');
}
