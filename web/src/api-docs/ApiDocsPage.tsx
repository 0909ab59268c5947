import "swagger-ui-dist/swagger-ui.css";
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-es-bundle.js";
import { useEffect, useRef, useState } from "react";
import { Alert } from "../ui/Alert.tsx";
import { Loading } from "../ui/Loading.tsx";
import { usePageTitle } from "../ui/page-title.ts";
import { dataApiHeaders, fetchOpenApiDocument } from "./openapi.ts";

/** The Data API (PostgREST) described by its own OpenAPI document, rendered by Swagger UI. */
export default function ApiDocsPage() {
  usePageTitle("API docs");
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | { error: string }>(
    "loading",
  );

  useEffect(() => {
    let active = true;
    Promise.all([fetchOpenApiDocument(), dataApiHeaders()]).then(
      ([spec, headers]) => {
        if (!active || !container.current) return;
        SwaggerUIBundle({
          spec,
          domNode: container.current,
          deepLinking: false,
          // "Try it out" sends the same key and token as the app.
          requestInterceptor: (request) => {
            Object.assign(request.headers, headers);
            return request;
          },
        });
        setState("ready");
      },
      (error: unknown) => {
        if (active) {
          setState({
            error: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
    return () => {
      active = false;
    };
  }, []);

  return (
    <section className="api-docs">
      <h1>API docs</h1>
      <p>
        The Data API at <code>/rest/v1</code>, as PostgREST describes it. Send the project's anon key in the
        {" "}
        <code>apikey</code> header and your access token as{" "}
        <code>Authorization: Bearer …</code>; row-level security shows you only your own rows.
      </p>
      {state === "loading" && <Loading label="Loading the API description…" />}
      {typeof state === "object" && <Alert kind="error">{state.error}</Alert>}
      <div
        ref={container}
        className="swagger-container"
        data-testid="swagger-ui"
      />
    </section>
  );
}
