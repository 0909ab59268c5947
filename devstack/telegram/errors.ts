/** Telegram's error answers: `{ok:false,error_code,description[,parameters]}`, HTTP status = error_code. */

export interface ErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export class TelegramError extends Error {
  constructor(readonly code: number, readonly description: string, readonly retryAfter?: number) {
    super(description);
  }

  get body(): ErrorBody {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.retryAfter === undefined ? {} : { parameters: { retry_after: this.retryAfter } }),
    };
  }
}

export const badRequest = (detail: string) => new TelegramError(400, `Bad Request: ${detail}`);
export const tooManyRequests = (retryAfter: number) =>
  new TelegramError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
export const blockedByUser = () => new TelegramError(403, "Forbidden: bot was blocked by the user");
export const chatNotFound = () => badRequest("chat not found");
export const notFound = () => new TelegramError(404, "Not Found");
export const unauthorized = () => new TelegramError(401, "Unauthorized");
export const serverError = (status = 500) =>
  new TelegramError(status, status === 502 ? "Bad Gateway" : "Internal Server Error");

/**
 * nginx's own error page, as Telegram's front end sends it when the Bot API behind it is down:
 * text/html, not the Bot API's JSON (nginx src/http/ngx_http_special_response.c,
 * ngx_http_error_500_page / ngx_http_error_502_page and ngx_http_error_tail).
 */
export const nginxErrorPage = (status: 500 | 502) => {
  const title = status === 502 ? "502 Bad Gateway" : "500 Internal Server Error";
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
    `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
};
