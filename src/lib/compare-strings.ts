/** Code-unit order for `sort` (not `localeCompare`: ids and cursors must sort as the stores do). */
export function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
