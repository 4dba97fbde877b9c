/**
 * The `include`/`exclude` server-name globs of `mcp_registries[]` (PRODUCT.md §2, §5; issue 5
 * "Mirror"): which names of a registry Patchbay mirrors and resolves. `*` matches a run of
 * characters (empty too), including `/`, so `io.github.acme/*` takes a whole namespace; `?`
 * matches one character.
 */

/** Globs as written in the config; an empty `include` means every name. */
export interface RegistryNameGlobs {
  include: readonly string[];
  exclude: readonly string[];
}

/** A name passes when some `include` glob matches (or there are none) and no `exclude` glob does. */
export function createRegistryNameFilter(globs: RegistryNameGlobs): (name: string) => boolean {
  const include = globs.include.map(globToRegExp);
  const exclude = globs.exclude.map(globToRegExp);
  return (name) =>
    (include.length === 0 || include.some((pattern) => pattern.test(name))) &&
    !exclude.some((pattern) => pattern.test(name));
}

/** Case-sensitive, anchored; every other character is literal. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const character of glob) {
    if (character === "*") source += "[\\s\\S]*";
    else if (character === "?") source += "[\\s\\S]";
    else source += character.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}
