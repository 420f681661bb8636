import { ButtonItem, NavigationContent, Section, SideNavigation } from '@atlaskit/side-navigation';
import { type SectionId, visibleSections } from '../features';

interface NavigationProps {
  current: SectionId;
  onSelect: (section: SectionId) => void;
}

/** The app's own left navigation; lists only the sections that exist. */
export function Navigation({ current, onSelect }: NavigationProps) {
  return (
    <SideNavigation label="orgwarden" testId="navigation">
      <NavigationContent>
        <Section>
          {visibleSections().map((section) => (
            <ButtonItem
              key={section.id}
              isSelected={section.id === current}
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
