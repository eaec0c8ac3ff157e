/**
 * The number of migrations the code knows. Kept apart from the migration list
 * so that opening an up-to-date database never loads the migrations.
 * A test checks it against the list.
 */
export const LATEST_SCHEMA_VERSION = 9;
