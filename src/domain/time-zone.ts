/** The office's time zone unless the settings say otherwise (SPEC section 4). */
export const DEFAULT_TIME_ZONE = 'Europe/Rome';
