// Seat prices and savings are monthly amounts in US dollars (Atlassian Cloud bills in USD).

const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });

/** "$1,234.50"; whole amounts without cents ("$1,200"). */
export function money(amount: number): string {
  const text = formatter.format(amount);
  return text.endsWith('.00') ? text.slice(0, -3) : text;
}
