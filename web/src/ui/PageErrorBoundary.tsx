import { Component, type ReactNode } from "react";
import { translate } from "../i18n/i18n.ts";

/**
 * A page that fails to load or render (its lazy chunk could not be fetched offline, or it threw)
 * shows a sentence and a Retry button instead of a blank page. A lazy import that failed once
 * stays failed in React, so Retry reloads the page.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    return (
      <section data-testid="page-error">
        <h1>{translate("This page could not be loaded")}</h1>
        <p role="alert">
          {offline
            ? translate(
              "You are offline, and this page was not saved on this device yet. Connect and try again.",
            )
            : translate("Something went wrong while loading it. Try again in a moment.")}
        </p>
        <button type="button" className="primary" onClick={() => location.reload()}>
          {translate("Try again")}
        </button>
      </section>
    );
  }
}
