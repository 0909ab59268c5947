import { translate } from "../i18n/i18n.ts";

/**
 * The display name's one limit, the database's (profiles_display_name_length): sign-up and
 * Settings both refuse a longer name with the same sentence instead of one of them cutting it.
 */
export const DISPLAY_NAME_MAX = 80;

/** The sentence for a display name that is too long, or undefined when it fits. */
export function displayNameError(name: string): string | undefined {
  return name.trim().length > DISPLAY_NAME_MAX
    ? translate("Keep the display name to {{max}} characters.", { max: DISPLAY_NAME_MAX })
    : undefined;
}
