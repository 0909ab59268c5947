import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { currentLanguage, i18n, loadLanguage } from "./i18n/i18n.ts";
import { registerServiceWorker } from "./offline/register.ts";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// The first render waits for the person's language (a cached chunk after the first visit), so no
// English flashes before Russian.
const language = currentLanguage();
void loadLanguage(language).catch(() => {}).then(async () => {
  // i18next started in this language before its sentences were in: make it read them now.
  await i18n.changeLanguage(language);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
registerServiceWorker();
