// Which sections of the app exist. A section appears in the navigation only once its backend
// exists: later issues switch their entry on here.

/** A section of the app, addressed by `?view=<id>`. */
export type SectionId =
  | 'overview'
  | 'dashboard'
  | 'users'
  | 'operations'
  | 'tasks'
  | 'settings'
  | 'audit';

/** Backends that exist today. */
export const features = {
  dashboard: false,
  users: false,
  operations: false,
  tasks: false,
  settings: true,
  audit: false,
  /** Sync state and the "Sync users" button in the header. */
  sync: false,
} as const;

/** One navigation entry. */
export interface Section {
  id: SectionId;
  label: string;
  enabled: boolean;
  /** Usable before an Organization API key is saved. */
  withoutApiKey: boolean;
}

/** Every section in navigation order; `visibleSections` drops the disabled ones. */
export const sections: readonly Section[] = [
  // Overview stands in for the Dashboard until the Dashboard exists.
  { id: 'overview', label: 'Overview', enabled: !features.dashboard, withoutApiKey: true },
  { id: 'dashboard', label: 'Dashboard', enabled: features.dashboard, withoutApiKey: false },
  { id: 'users', label: 'Users', enabled: features.users, withoutApiKey: false },
  { id: 'operations', label: 'Operations', enabled: features.operations, withoutApiKey: false },
  { id: 'tasks', label: 'Automated tasks', enabled: features.tasks, withoutApiKey: false },
  { id: 'settings', label: 'Settings', enabled: features.settings, withoutApiKey: true },
  { id: 'audit', label: 'Audit', enabled: features.audit, withoutApiKey: false },
];

/** The sections shown in the navigation. */
export function visibleSections(): Section[] {
  return sections.filter((section) => section.enabled);
}

/** The section a `?view=` value asks for, or the first visible one. */
export function sectionFromView(view: string | null): SectionId {
  const visible = visibleSections();
  const asked = visible.find((section) => section.id === view);
  return (asked ?? visible[0] ?? { id: 'settings' }).id;
}
