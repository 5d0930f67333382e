/** A UTC DATETIME(3) literal: sequelize's own formatting of Date replacements drops milliseconds. */
export function sqlDateTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
