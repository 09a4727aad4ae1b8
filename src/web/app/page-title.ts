/** The product's name and the browser tab's title: `<page> · Tocsin 警钟` on every page, in every language. */
import { useEffect } from 'react';

/** The product's name as the console shows it: in the header, on the sign-in card and in every tab's title. */
export const BRAND = 'Tocsin 警钟';

/** A page's tab title; the brand alone while the page has no name yet (its record still loading, or not found). */
export function pageTitle(page?: string | null): string {
  const name = page?.trim();
  return name ? `${name} · ${BRAND}` : BRAND;
}

/** Sets the tab's title to `pageTitle(page)` while the page shows. */
export function usePageTitle(page: string | null | undefined): void {
  const title = pageTitle(page);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
