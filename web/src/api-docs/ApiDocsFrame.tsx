import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type QueryState, useQuery } from "../ui/use-query.ts";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { dataApiHeaders, fetchOpenApiDocument } from "./openapi.ts";

export interface LoadedDocument {
  spec: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The Data API's OpenAPI document and the headers "try it out" needs. */
export function useOpenApiDocument(): QueryState<LoadedDocument> {
  return useQuery(
    async () => {
      const [spec, headers] = await Promise.all([fetchOpenApiDocument(), dataApiHeaders()]);
      return { spec: spec as Record<string, unknown>, headers };
    },
    [],
    { readsServer: true },
  );
}

/** What both doc pages share: heading, how to call the API, a link to the other viewer. */
export function ApiDocsFrame(
  { title, viewer, document, children }: {
    title: string;
    viewer: "swagger" | "redoc";
    document: QueryState<LoadedDocument>;
    children: ReactNode;
  },
) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <section className="api-docs">
      <h1>{title}</h1>
      <p>
        {t(
          "The Data API at /rest/v1, as PostgREST describes it. Send the project's anon key in the apikey header and your access token as Authorization: Bearer …; row-level security shows you only your own rows.",
        )}
      </p>
      <p>
        {viewer === "swagger"
          ? <Link to="/redoc">{t("The same API in ReDoc")}</Link>
          : <Link to="/api-docs">{t("The same API in Swagger UI")}</Link>}
      </p>
      {document.loading && !document.data && <Loading label={t("Loading the API description…")} />}
      {document.error && <Alert kind="error">{document.error}</Alert>}
      {children}
    </section>
  );
}
