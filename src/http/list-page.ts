/**
 * OpenAI's list page `{object:"list", data, first_id, last_id, has_more}` (reference §4.3), the
 * one shape every OpenAI-style list route answers with (PRODUCT.md §8.8–§8.10).
 */
export interface ListPage<Item> {
  object: "list";
  data: Item[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** `idOf` names an item's id: `id` for stored objects, `name` for a connector's tools. */
export function listPage<Item>(
  data: Item[],
  hasMore: boolean,
  idOf: (item: Item) => string,
): ListPage<Item> {
  const first = data[0];
  const last = data.at(-1);
  return {
    object: "list",
    data,
    first_id: first === undefined ? null : idOf(first),
    last_id: last === undefined ? null : idOf(last),
    has_more: hasMore,
  };
}
