// Copying text. Inside Jira the app is a cross-origin iframe, where the async clipboard API is
// refused unless the host grants `clipboard-write`: then the text is copied the old way, from a
// selected off-screen field (allowed during the click that asked for it).

function copyBySelection(text: string): boolean {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.top = '0';
  field.style.left = '-9999px';
  document.body.appendChild(field);
  field.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  field.remove();
  active?.focus();
  return copied;
}

interface PermissionsPolicy {
  allowsFeature(feature: string): boolean;
}

/** False when the page's permissions policy forbids writing the clipboard (Chromium says so). */
function clipboardAllowed(): boolean {
  const doc = document as Document & {
    permissionsPolicy?: PermissionsPolicy;
    featurePolicy?: PermissionsPolicy;
  };
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  return policy ? policy.allowsFeature('clipboard-write') : true;
}

/** Puts `text` on the clipboard; false when the browser refused both ways. */
export async function copyText(text: string): Promise<boolean> {
  try {
    // Asking while the policy forbids it only logs a violation before refusing.
    if (navigator.clipboard?.writeText && clipboardAllowed()) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission in the iframe): try the selection.
  }
  return copyBySelection(text);
}
