import { ButtonItem, NavigationContent, Section, SideNavigation } from '@atlaskit/side-navigation';
import { useApiKey, useConfined } from '../api/queries';
import { type SectionId, visibleSections } from '../features';

interface NavigationProps {
  /** The section shown; null while the app is still finding its place (after a reload). */
  current: SectionId | null;
  onSelect: (section: SectionId) => void;
  /** A Jira admin setting orgwarden up: only Settings. */
  bootstrap?: boolean;
}

/** The app's own left navigation: the sections that exist, and before a key is saved only Settings. */
export function Navigation({ current, onSelect, bootstrap = false }: NavigationProps) {
  const apiKey = useApiKey();
  const hasKey = !bootstrap && apiKey.data !== null && apiKey.data !== undefined;
  const confined = useConfined();
  return (
    <SideNavigation label="orgwarden" testId="navigation">
      <NavigationContent>
        <Section>
          {visibleSections(hasKey, confined).map((section) => (
            <ButtonItem
              key={section.id}
              isSelected={section.id === current}
              shouldTitleWrap
              onClick={() => onSelect(section.id)}
              testId={`nav-${section.id}`}
            >
              {section.label}
            </ButtonItem>
          ))}
        </Section>
      </NavigationContent>
    </SideNavigation>
  );
}
