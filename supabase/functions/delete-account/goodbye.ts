import type { Language } from "../_shared/language.ts";

/** The goodbye in the deleted account's chat, in the language the bot spoke there. */
export const GOODBYE: Record<Language, string> = {
  en: "Your Habits account has been deleted, with all its habits and history. Goodbye, and thank you! " +
    "This chat is no longer linked; you can sign up again at any time.",
  ru: "Ваш аккаунт Habits удалён вместе со всеми привычками и историей. До свидания и спасибо! " +
    "Этот чат больше не связан; зарегистрироваться снова можно в любое время.",
};
