// Which sections of the app exist. A section appears in the navigation only once its backend
// exists: later issues switch their entry on here.

/** A section of the app, addressed by `?view=<id>`. */
export type SectionId = 'dashboard' | 'users' | 'operations' | 'tasks' | 'settings' | 'audit';

/** Backends that exist today. */
export const features = {
  dashboard: true,
  users: true,
  operations: true,
  tasks: true,
  settings: true,
  audit: true,
  /** Sync state and the "Sync users" button in the header. */
  sync: true,
} as const;

/** One navigation entry. */
export interface Section {
  id: SectionId;
  label: string;
  enabled: boolean;
  /** Usable before an Organization API key is saved. */
  withoutApiKey: boolean;
  /** Acts on the whole organization: not for admins confined to what they administer. */
  wholeOrganization?: boolean;
}

/** Every section in navigation order; `visibleSections` drops the disabled ones. */
export const sections: readonly Section[] = [
  { id: 'dashboard', label: 'Dashboard', enabled: features.dashboard, withoutApiKey: false },
  { id: 'users', label: 'Users', enabled: features.users, withoutApiKey: false },
  { id: 'operations', label: 'Operations', enabled: features.operations, withoutApiKey: false },
  {
    id: 'tasks',
    label: 'Automated tasks',
    enabled: features.tasks,
    withoutApiKey: false,
    wholeOrganization: true,
  },
  { id: 'settings', label: 'Settings', enabled: features.settings, withoutApiKey: true },
  { id: 'audit', label: 'Audit log', enabled: features.audit, withoutApiKey: false },
];

/**
 * The sections shown in the navigation: those that exist, without a saved Organization API key
 * only those usable without one (`hasApiKey` false or still unknown), and for an admin
 * `confined` to what they administer none that acts on the whole organization.
 */
export function visibleSections(hasApiKey = true, confined = false): Section[] {
  return sections.filter(
    (section) =>
      section.enabled &&
      (hasApiKey || section.withoutApiKey) &&
      !(confined && section.wholeOrganization),
  );
}

/** The section to show for `section` to a caller (`confined` or not): it, or the landing page. */
export function sectionFor(section: SectionId, confined: boolean): SectionId {
  const visible = visibleSections(true, confined);
  return visible.some((s) => s.id === section) ? section : (visible[0]?.id ?? 'settings');
}

/** The section a `?view=` value asks for, or the first one that exists (the landing page). */
export function sectionFromView(view: string | null): SectionId {
  const visible = visibleSections();
  const asked = visible.find((section) => section.id === view);
  return (asked ?? visible[0] ?? { id: 'settings' }).id;
}
