// The parts of swagger-ui-dist's ES bundle the API docs page uses (the package ships no types).
declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  interface SwaggerUIOptions {
    spec: unknown;
    domNode: HTMLElement;
    deepLinking?: boolean;
    tryItOutEnabled?: boolean;
    requestInterceptor?: (
      request: { headers: Record<string, string> },
    ) => unknown;
  }
  const SwaggerUIBundle: (options: SwaggerUIOptions) => unknown;
  export default SwaggerUIBundle;
}
