import { useEffect } from "react";
import { useTranslation } from "react-i18next";

export function Pagination(
  { page, pageCount, onPage, label }: {
    page: number;
    pageCount: number;
    onPage: (page: number) => void;
    label: string;
  },
) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      <button
        type="button"
        onClick={() => onPage(page - 1)}
        disabled={page <= 1}
      >
        ← {t("Previous")}
      </button>
      <span aria-live="polite">{t("Page {{page}} of {{count}}", { page, count: pageCount })}</span>
      <button
        type="button"
        onClick={() => onPage(page + 1)}
        disabled={page >= pageCount}
      >
        {t("Next")} →
      </button>
    </nav>
  );
}

/** The 1-based page number in the URL (?page=N), at least 1. */
export function pageFromSearch(search: URLSearchParams): number {
  const page = Number(search.get("page") ?? "1");
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** Past the last page (`?page=99`, or after deleting the last item of it): show the last page. */
export function useLastPageFallback(
  page: number,
  pageCount: number,
  loaded: boolean,
  goToPage: (page: number) => void,
): void {
  useEffect(() => {
    if (loaded && page > pageCount) goToPage(pageCount);
  });
}
