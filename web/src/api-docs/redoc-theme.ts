/** ReDoc's theme options (its `theme` setting) for the app's light and dark palettes (styles.css). */
export function redocTheme(mode: "light" | "dark"): Record<string, unknown> {
  const dark = mode === "dark";
  const text = dark ? "#e6e8eb" : "#1d2125";
  const panel = dark ? "#0f1114" : "#263238";
  return {
    colors: {
      primary: { main: dark ? "#8ab4ff" : "#1f5fbf" },
      error: { main: dark ? "#ff8a80" : "#b3261e" },
      success: { main: dark ? "#6fcf97" : "#1a7f37" },
      warning: { main: dark ? "#f2c94c" : "#8a5a00" },
      text: { primary: text, secondary: dark ? "#b8bec6" : "#4a525b" },
      border: { dark: dark ? "#3a4048" : "#c4c9cf", light: dark ? "#2a2f36" : "#e3e6ea" },
      // ReDoc writes method names in white on these: dark enough in both themes.
      http: {
        get: "#1a5fb4",
        post: "#1d6b45",
        put: "#8a4a00",
        options: "#5b3aa8",
        patch: "#8a4a00",
        delete: "#b3261e",
        basic: "#4f5963",
        link: "#00606f",
        head: "#8e1c5a",
      },
      responses: {
        success: { color: dark ? "#6fcf97" : "#1a7f37", backgroundColor: dark ? "#12261a" : "#e9f6ec" },
        error: { color: dark ? "#ff8a80" : "#b42318", backgroundColor: dark ? "#2c1513" : "#fdecea" },
        redirect: { color: dark ? "#f2c94c" : "#8a5a00", backgroundColor: dark ? "#2a2411" : "#fff6e0" },
        info: { color: dark ? "#8ab4ff" : "#1f5fbf", backgroundColor: dark ? "#121d2e" : "#e8f0fc" },
      },
    },
    schema: { nestedBackground: dark ? "#1e2227" : "#f6f7f9", typeNameColor: text, typeTitleColor: text },
    typography: {
      fontFamily: "system-ui, sans-serif",
      headings: { fontFamily: "system-ui, sans-serif" },
      code: { color: dark ? "#ffb4a9" : "#a3280f", backgroundColor: dark ? "#2a2f36" : "#f3f4f6" },
      links: { color: dark ? "#8ab4ff" : "#1f5fbf", visited: dark ? "#c3a6ff" : "#5b3aa8" },
    },
    sidebar: {
      backgroundColor: dark ? "#1b1f24" : "#f6f7f9",
      textColor: text,
      activeTextColor: dark ? "#8ab4ff" : "#1f5fbf",
    },
    rightPanel: { backgroundColor: panel, textColor: "#f5f7fa" },
    codeBlock: { backgroundColor: dark ? "#0a0c0e" : "#11171a" },
  };
}
