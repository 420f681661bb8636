import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { showFlag } from '../../ap';
import { useMe, useSaveSettings, useSettings } from '../../api/queries';
import type { Settings } from '../../api/types';
import { useCatalog } from '../../catalog';
import { DaysPicker } from '../../components/DaysPicker';
import { ErrorMessage } from '../../components/ErrorMessage';
import { timeZones } from '../../timeZones';
import { useUnsavedChanges } from '../../unsavedChanges';
import { ChangedElsewhereMessage, type SavedValues, useChangedElsewhere } from './savedValues';
import { SavedForm } from './SavedForm';
import './general.css';

/** The most a seat may cost per month (the server's bound). */
const MAX_PRICE = 100_000;

interface Option<T> {
  label: string;
  value: T;
}

const HOURS: Option<number>[] = Array.from({ length: 24 }, (_, h) => ({
  label: `${String(h).padStart(2, '0')}:00`,
  value: h,
}));

/** ISO 4217 codes this browser knows, the saved one always among them. */
function currencies(current: string): Option<string>[] {
  const codes = new Set(['USD', ...Intl.supportedValuesOf('currency')]);
  codes.add(current);
  const names = new Intl.DisplayNames(['en'], { type: 'currency' });
  return [...codes].map((c) => ({ label: `${c} · ${names.of(c) ?? c}`, value: c }));
}

/** A price as typed: '' (no price), or a number from 0 to MAX_PRICE; null when invalid. */
function parsePrice(text: string): number | '' | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 && value <= MAX_PRICE ? value : null;
}

/** Whether the typed prices differ from the saved ones (an amount typed as saved is no change). */
function pricesChanged(prices: Record<string, string>, saved: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(prices), ...Object.keys(saved)]);
  return [...keys].some((key) => parsePrice(prices[key] ?? '') !== (saved[key] ?? ''));
}

interface Product {
  productKey: string;
  productName: string;
}

interface GeneralFormProps {
  saved: SavedValues<Settings>;
  products: Product[];
  /** Org admins change the settings; everyone else reads them. */
  editable: boolean;
}

function GeneralForm({ saved, products, editable }: GeneralFormProps) {
  const settings = saved.base;
  const save = useSaveSettings();
  const ids = { hour: useId(), zone: useId(), currency: useId() };
  const [inactiveDays, setInactiveDays] = useState(settings.inactiveDays);
  const [syncHour, setSyncHour] = useState(settings.syncHour);
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [currency, setCurrency] = useState(settings.currency ?? 'USD');
  const currencyOptions = useMemo(
    () => currencies(settings.currency ?? 'USD'),
    [settings.currency],
  );
  const [prices, setPrices] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(settings.seatPrices ?? {}).map(([key, price]) => [key, String(price)]),
    ),
  );
  const zoneOptions = useMemo(() => timeZones(settings.timeZone), [settings.timeZone]);
  // Products of the organization, then any priced product the last sync did not find.
  const rows = [
    ...products,
    ...Object.keys(settings.seatPrices ?? {})
      .filter((key) => !products.some((p) => p.productKey === key))
      .map((key) => ({ productKey: key, productName: key })),
  ];
  const invalid = rows
    .filter((p) => parsePrice(prices[p.productKey] ?? '') === null)
    .map((p) => p.productKey);
  const differs = (values: Settings) =>
    inactiveDays !== values.inactiveDays ||
    syncHour !== values.syncHour ||
    timeZone !== values.timeZone ||
    currency !== (values.currency ?? 'USD') ||
    pricesChanged(prices, values.seatPrices ?? {});
  useUnsavedChanges(differs(settings));
  const changedElsewhere = useChangedElsewhere(saved, differs);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!editable || invalid.length > 0) return;
    const seatPrices: Record<string, number> = {};
    for (const [key, text] of Object.entries(prices)) {
      const price = parsePrice(text);
      if (typeof price === 'number') seatPrices[key] = price;
    }
    save.mutate(
      { inactiveDays, syncHour, timeZone, seatPrices, currency },
      {
        onSuccess: (answer) => {
          // Saved, the settings are the form's new starting point.
          saved.restart(answer);
          void showFlag({ type: 'success', title: 'Settings saved' });
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="general-settings-form">
      <Stack space="space.200">
        {changedElsewhere && (
          <ChangedElsewhereMessage
            onLoad={() => saved.restart(saved.latest)}
            testId="general-settings-changed"
          />
        )}
        <DaysPicker
          label="Default inactivity threshold"
          value={{ kind: 'days', days: inactiveDays }}
          onChange={(v) => v.kind === 'days' && setInactiveDays(v.days)}
          isDisabled={!editable}
          testId="settings-threshold"
        />
        <div className="ow-general-row">
          <div className="ow-general-field">
            <Label htmlFor={ids.hour}>Daily sync at</Label>
            <Select<Option<number>>
              inputId={ids.hour}
              options={HOURS}
              value={HOURS.find((o) => o.value === syncHour)}
              isSearchable={false}
              spacing="compact"
              isDisabled={!editable}
              testId="settings-sync-hour"
              onChange={(o) => o && setSyncHour(o.value)}
            />
          </div>
          <div className="ow-general-field ow-general-zone">
            <Label htmlFor={ids.zone}>Time zone</Label>
            <Select<Option<string>>
              inputId={ids.zone}
              options={zoneOptions}
              value={zoneOptions.find((o) => o.value === timeZone)}
              spacing="compact"
              isDisabled={!editable}
              testId="settings-time-zone"
              onChange={(o) => o && setTimeZone(o.value)}
            />
          </div>
        </div>
        <fieldset className="ow-general-prices">
          <legend>Seat prices ({currency} per seat per month)</legend>
          <div className="ow-general-field ow-general-currency">
            <Label htmlFor={ids.currency}>Currency</Label>
            <Select<Option<string>>
              inputId={ids.currency}
              options={currencyOptions}
              value={currencyOptions.find((o) => o.value === currency)}
              spacing="compact"
              isDisabled={!editable}
              testId="settings-currency"
              onChange={(o) => o && setCurrency(o.value)}
            />
          </div>
          <Text as="p" color="color.text.subtle">
            With a price, the dashboard shows what inactive seats cost: potential savings per month.
            Leave a product empty to give it no price.
          </Text>
          {rows.length === 0 ? (
            <p className="ow-subtle" data-testid="seat-prices-empty">
              Products appear here once the first sync has found them.
            </p>
          ) : (
            rows.map((p) => (
              <div key={p.productKey} className="ow-general-price">
                <label htmlFor={`price-${p.productKey}`}>{p.productName}</label>
                <Textfield
                  id={`price-${p.productKey}`}
                  type="number"
                  min={0}
                  max={MAX_PRICE}
                  step="0.01"
                  isCompact
                  width={140}
                  placeholder="No price"
                  value={prices[p.productKey] ?? ''}
                  isInvalid={invalid.includes(p.productKey)}
                  isDisabled={!editable}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setPrices((old) => ({ ...old, [p.productKey]: value }));
                  }}
                  testId={`seat-price-${p.productKey}`}
                />
                {invalid.includes(p.productKey) && (
                  <FieldError>Enter an amount from 0 to {MAX_PRICE.toLocaleString()}.</FieldError>
                )}
              </div>
            ))
          )}
        </fieldset>
        {save.isError && (
          <ErrorMessage error={save.error} title="The settings could not be saved" />
        )}
        {editable && (
          <div>
            <Button
              type="submit"
              appearance="primary"
              isLoading={save.isPending}
              isDisabled={invalid.length > 0}
              testId="general-settings-save"
            >
              Save
            </Button>
          </div>
        )}
      </Stack>
    </form>
  );
}

/** Settings → General: default inactivity threshold, daily sync hour and time zone, seat prices. */
export function GeneralSection() {
  const settings = useSettings();
  const me = useMe();
  const editable = me.data?.access.as === 'orgAdmin';
  const catalog = useCatalog();
  const products = useMemo(() => {
    const seen = new Map<string, Product>();
    for (const t of catalog.products) if (!seen.has(t.productKey)) seen.set(t.productKey, t);
    return [...seen.values()].map(({ productKey, productName }) => ({ productKey, productName }));
  }, [catalog.products]);

  const content = (
    <SavedForm
      query={settings}
      titles={{
        loading: 'Loading the settings',
        loadFailed: 'The settings could not be loaded',
        rereadFailed: 'The settings could not be read again; the form shows them as read before',
      }}
      testIds={{
        loadFailed: 'general-settings-error',
        rereadFailed: 'general-settings-reread-error',
      }}
    >
      {(saved) => <GeneralForm saved={saved} products={products} editable={editable} />}
    </SavedForm>
  );

  return (
    <section aria-labelledby="general-heading" className="ow-panel" data-testid="general-settings">
      <Stack space="space.200">
        <Heading size="small" as="h2" id="general-heading">
          General
        </Heading>
        {!editable && me.data && (
          <SectionMessage appearance="information" testId="general-settings-readonly">
            <p>Only organization admins can change these settings.</p>
          </SectionMessage>
        )}
        {content}
      </Stack>
    </section>
  );
}
