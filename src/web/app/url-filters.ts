/**
 * A list's filters kept in the URL's query (`/incidents?status=ended&grade=II`), so a view can be reloaded,
 * bookmarked and shared: one way to read them and one way to write them, for every list that filters.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** A list's filters by name, each with what it means when the URL does not say (`undefined`: no filter). */
export type FilterDefaults = Readonly<Record<string, string | undefined>>;
/** The filters as read: a filter with a default always has a value. */
export type UrlFilters<D extends FilterDefaults> = {
  [K in keyof D]: D[K] extends string ? string : string | undefined;
};
/** A change of some filters: a value, or nothing (`null`, `undefined`, '') to drop the filter. */
export type FilterPatch<D extends FilterDefaults> = { [K in keyof D]?: string | null | undefined };

/** The filters named by `defaults` as `params` hold them. */
export function readFilters<D extends FilterDefaults>(params: URLSearchParams, defaults: D): UrlFilters<D> {
  const out: Record<string, string | undefined> = {};
  for (const [name, fallback] of Object.entries(defaults)) out[name] = params.get(name) || fallback;
  return out as UrlFilters<D>;
}

/** `params` with `patch` written: a filter set to its default or to nothing leaves; other parameters stay. */
export function writeFilters<D extends FilterDefaults>(
  params: URLSearchParams,
  patch: FilterPatch<D>,
  defaults: D,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(patch)) {
    if (value && value !== defaults[name]) next.set(name, value);
    else next.delete(name);
  }
  return next;
}

/**
 * The filters named by `defaults` as the URL holds them, and a setter that writes a change of some of
 * them, leaving the rest of the URL as it is. A filter set to its default or to nothing leaves the URL,
 * so the plain address is the default view. The URL entry is replaced, not pushed: filtering a list is
 * not going somewhere else. Pass `defaults` as a module constant.
 */
export function useUrlFilters<const D extends FilterDefaults>(
  defaults: D,
): [UrlFilters<D>, (patch: FilterPatch<D>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params, defaults), [params, defaults]);
  const setFilters = useCallback(
    (patch: FilterPatch<D>) => setParams((current) => writeFilters(current, patch, defaults), { replace: true }),
    [setParams, defaults],
  );
  return [filters, setFilters];
}
