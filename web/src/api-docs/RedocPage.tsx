import redocScriptUrl from "redoc/bundles/redoc.standalone.js?url";
import "./redoc-overrides.css";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../ui/Alert.tsx";
import { useEffectiveTheme } from "../ui/theme.ts";
import { useQuery } from "../ui/use-query.ts";
import { ApiDocsFrame, useOpenApiDocument } from "./ApiDocsFrame.tsx";
import { keepHeadingLevels } from "./heading-levels.ts";
import { redocTheme } from "./redoc-theme.ts";

interface RedocGlobal {
  init(
    spec: unknown,
    options: Record<string, unknown>,
    element: HTMLElement,
    callback?: (error?: unknown) => void,
  ): void;
}

let loading: Promise<RedocGlobal> | undefined;

/** ReDoc's standalone bundle (pinned npm package, served from our build), loaded once on this page. */
function loadRedoc(): Promise<RedocGlobal> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = redocScriptUrl;
    script.async = true;
    script.onload = () => {
      const redoc = (globalThis as unknown as { Redoc?: RedocGlobal }).Redoc;
      if (redoc) resolve(redoc);
      else reject(new Error("ReDoc did not load"));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error("ReDoc could not be loaded"));
    };
    document.head.append(script);
  });
  return loading;
}

/** The Data API's OpenAPI document in ReDoc, in the app's light or dark theme. */
export default function RedocPage() {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const apiDocument = useOpenApiDocument();
  const theme = useEffectiveTheme();
  // The viewer's bundle is fetched once the document it shows is here.
  const hasDocument = apiDocument.data !== undefined;
  const redoc = useQuery(async () => hasDocument ? await loadRedoc() : undefined, [hasDocument]);

  useEffect(() => {
    if (!apiDocument.data || !redoc.data || !container.current) return;
    redoc.data.init(apiDocument.data.spec, {
      theme: redocTheme(theme),
      hideDownloadButton: true,
      disableSearch: false,
      expandResponses: "200,201",
    }, container.current);
  }, [apiDocument.data, redoc.data, theme]);

  useEffect(() => container.current ? keepHeadingLevels(container.current) : undefined, []);

  return (
    <ApiDocsFrame title={t("API docs (ReDoc)")} viewer="redoc" document={apiDocument}>
      {redoc.error && <Alert kind="error">{redoc.error}</Alert>}
      <div ref={container} className={`redoc-container redoc-${theme}`} data-testid="redoc" />
    </ApiDocsFrame>
  );
}
