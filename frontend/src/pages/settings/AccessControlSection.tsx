import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { Radio } from '@atlaskit/radio';
import SectionMessage from '@atlaskit/section-message';
import Toggle from '@atlaskit/toggle';
import { type FormEvent, useId, useState } from 'react';
import { showFlag } from '../../ap';
import { useAccessSettings, useSaveAccessSettings } from '../../api/access';
import { useApiKey, useMe } from '../../api/queries';
import type { AccessScope, AccessSettings } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUnsavedChanges } from '../../unsavedChanges';
import { ChangedElsewhereMessage, type SavedValues, useChangedElsewhere } from './savedValues';
import { SavedForm } from './SavedForm';
import './settings.css';

interface ScopeOption {
  value: AccessScope;
  label: string;
  help: string;
}

const SCOPES: ScopeOption[] = [
  {
    value: 'organization',
    label: 'Whole organization',
    help: 'They see and manage every user, site and product of the organization, as organization admins do.',
  },
  {
    value: 'administered',
    label: 'Only the sites and products they administer',
    help: 'Counts, the user list and bulk operations are limited to the products (or sites) they are admins of.',
  },
];

interface RoleToggleProps {
  label: string;
  help: string;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}

/** A toggle with its visible label and help text. */
function RoleToggle({ label, help, checked, disabled, onChange, testId }: RoleToggleProps) {
  const id = useId();
  const helpId = useId();
  return (
    <div className="ow-access-toggle">
      <Toggle
        id={id}
        isChecked={checked}
        isDisabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
        descriptionId={helpId}
        testId={testId}
      />
      <div>
        <label htmlFor={id} className="ow-access-label">
          {label}
        </label>
        <p id={helpId} className="ow-help">
          {help}
        </p>
      </div>
    </div>
  );
}

interface AccessFormProps {
  saved: SavedValues<AccessSettings>;
  editable: boolean;
}

function AccessForm({ saved, editable }: AccessFormProps) {
  const [productAdmins, setProductAdmins] = useState(saved.base.productAdmins);
  const [userAccessAdmins, setUserAccessAdmins] = useState(saved.base.userAccessAdmins);
  const [scope, setScope] = useState<AccessScope>(saved.base.scope);
  const save = useSaveAccessSettings();
  const scopeName = useId();
  const differs = (values: AccessSettings) =>
    productAdmins !== values.productAdmins ||
    userAccessAdmins !== values.userAccessAdmins ||
    scope !== values.scope;
  const changed = differs(saved.base);
  useUnsavedChanges(changed);
  const changedElsewhere = useChangedElsewhere(saved, differs);
  const disabled = !editable || save.isPending;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!editable) return;
    save.mutate(
      { productAdmins, userAccessAdmins, scope },
      {
        onSuccess: (answer) => {
          // Saved, the rules are the form's new starting point.
          saved.restart(answer);
          void showFlag({ type: 'success', title: 'App access control saved' });
        },
      },
    );
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="App access control"
      data-testid="access-control-form"
    >
      <Stack space="space.200">
        {changedElsewhere && (
          <ChangedElsewhereMessage
            onLoad={() => saved.restart(saved.latest)}
            testId="access-control-changed"
          />
        )}
        <fieldset className="ow-fieldset">
          <legend>Who else may use orgwarden</legend>
          <Stack space="space.150">
            <RoleToggle
              label="Product admins"
              help="People with the admin role on a product of a site (for example Jira or Confluence admins)."
              checked={productAdmins}
              disabled={disabled}
              onChange={(on) => {
                save.reset();
                setProductAdmins(on);
              }}
              testId="access-product-admins"
            />
            <RoleToggle
              label="User access admins"
              help="People who manage who can use a product or site, without administering it."
              checked={userAccessAdmins}
              disabled={disabled}
              onChange={(on) => {
                save.reset();
                setUserAccessAdmins(on);
              }}
              testId="access-user-access-admins"
            />
          </Stack>
        </fieldset>
        <fieldset className="ow-fieldset" data-testid="access-scope">
          <legend>What they see and manage</legend>
          <Stack space="space.100">
            {SCOPES.map((option) => (
              <div key={option.value}>
                <Radio
                  name={scopeName}
                  value={option.value}
                  label={option.label}
                  isChecked={scope === option.value}
                  isDisabled={disabled}
                  onChange={() => {
                    save.reset();
                    setScope(option.value);
                  }}
                  aria-describedby={`${scopeName}-${option.value}-help`}
                  testId={`access-scope-${option.value}`}
                />
                <p id={`${scopeName}-${option.value}-help`} className="ow-help ow-radio-help">
                  {option.help}
                </p>
              </div>
            ))}
          </Stack>
        </fieldset>
        {save.error && (
          <ErrorMessage error={save.error} title="App access control could not be saved" />
        )}
        {editable && (
          <div>
            <Button
              type="submit"
              appearance="primary"
              isLoading={save.isPending}
              isDisabled={!changed}
              testId="access-control-save"
            >
              Save
            </Button>
          </div>
        )}
      </Stack>
    </form>
  );
}

/**
 * Settings → App access control (once an API key is saved): whether product admins and user access
 * admins may use the app (org admins always may), and whether they see the whole organization or
 * only what they administer. Only org admins change it; everyone else sees it read-only.
 */
export function AccessControlSection() {
  const apiKey = useApiKey();
  // Without a key there is no organization whose admins the rules could name.
  return apiKey.data ? <AccessControl /> : null;
}

function AccessControl() {
  const settings = useAccessSettings();
  const me = useMe();
  const editable = me.data?.access.as === 'orgAdmin';

  const content = (
    <SavedForm
      query={settings}
      titles={{
        loading: 'Loading app access control',
        loadFailed: 'App access control could not be loaded',
        rereadFailed:
          'App access control could not be read again; the form shows it as read before',
      }}
      testIds={{ rereadFailed: 'access-control-reread-error' }}
    >
      {(saved) => <AccessForm saved={saved} editable={editable} />}
    </SavedForm>
  );

  return (
    <section
      aria-labelledby="access-control-heading"
      className="ow-panel"
      data-testid="access-control"
    >
      <Stack space="space.200">
        <Heading size="small" as="h2" id="access-control-heading">
          App access control
        </Heading>
        <Text as="p" color="color.text.subtle">
          Organization admins can always use orgwarden. Switch on the admins who may use it too;
          everyone else sees a page saying they have no access and who can grant it.
        </Text>
        {!editable && me.data && (
          <SectionMessage appearance="information" testId="access-control-readonly">
            <p>Only organization admins can change who may use orgwarden.</p>
          </SectionMessage>
        )}
        {content}
      </Stack>
    </section>
  );
}
