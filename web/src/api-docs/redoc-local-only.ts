import type { Plugin } from "vite";

/**
 * ReDoc's bundle draws Redocly's logo from https://cdn.redoc.ly/redoc/logo-mini.svg under its
 * sidebar: a request to another site on every visit, failing offline. The build drops that image
 * from the bundle it ships (the "API docs by Redocly" text link stays), and fails loudly if a newer
 * ReDoc draws it differently, so that the page never reaches for the CDN unnoticed.
 */
const REMOTE_LOGO =
  /\w+\.createElement\("img",\{alt:"redocly logo",onError:\(\)=>\w+\(!1\),src:"https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg"\}\)/;
const BUNDLE = /redoc\.standalone(-[\w-]+)?\.js$/;

export function withoutRemoteLogo(source: string): string {
  if (!REMOTE_LOGO.test(source)) {
    if (source.includes("cdn.redoc.ly")) {
      throw new Error("redoc-local-only: ReDoc reaches cdn.redoc.ly in a way this build does not know");
    }
    return source;
  }
  return source.replace(REMOTE_LOGO, "null");
}

export function redocLocalOnly(): Plugin {
  return {
    name: "habits-redoc-local-only",
    // The dev server serves the bundle as a module request; the build emits it as an asset.
    transform(code, id) {
      return BUNDLE.test(id.split("?")[0] ?? id) ? { code: withoutRemoteLogo(code), map: null } : undefined;
    },
    generateBundle(_options, bundle) {
      const shipped = Object.values(bundle).filter((item) =>
        item.type === "asset" && BUNDLE.test(item.fileName)
      );
      if (shipped.length === 0) this.error("redoc-local-only: ReDoc's bundle is not in the build");
      for (const asset of shipped) {
        if (asset.type !== "asset") continue;
        const text = typeof asset.source === "string" ? asset.source : new TextDecoder().decode(asset.source);
        asset.source = withoutRemoteLogo(text);
      }
    },
  };
}
