import "swagger-ui-dist/swagger-ui.css";
import "./swagger-theme.css";
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-es-bundle.js";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useEffectiveTheme } from "../ui/theme.ts";
import { ApiDocsFrame, useOpenApiDocument } from "./ApiDocsFrame.tsx";
import { useDemoteNestedMain } from "./demote-nested-main.ts";

/** The Data API (PostgREST) described by its own OpenAPI document, rendered by Swagger UI. */
export default function SwaggerPage() {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const document = useOpenApiDocument();
  const theme = useEffectiveTheme();
  useDemoteNestedMain(container, t("Operations"));

  useEffect(() => {
    if (!document.data || !container.current) return;
    const headers = document.data.headers;
    SwaggerUIBundle({
      spec: document.data.spec,
      domNode: container.current,
      deepLinking: false,
      // "Try it out" sends the same key and token as the app.
      requestInterceptor: (request) => {
        Object.assign(request.headers, headers);
        return request;
      },
    });
  }, [document.data]);

  return (
    <ApiDocsFrame title={t("API docs")} viewer="swagger" document={document}>
      <div
        ref={container}
        className={`swagger-container swagger-${theme}`}
        data-testid="swagger-ui"
      />
    </ApiDocsFrame>
  );
}
