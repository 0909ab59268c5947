/**
 * Russian for every message key of the SPA (keys are the English sentences). Plural keys take
 * i18next's _one/_few/_many/_other suffixes (Intl.PluralRules for ru).
 * tests/e2e/i18n_catalogue_test.ts fails when a key used in web/src is missing here.
 */
export const RU: Readonly<Record<string, string>> = {
  // frame
  "Habits": "Привычки",
  "Today": "Сегодня",
  "My habits": "Мои привычки",
  "Public habits": "Публичные привычки",
  "Telegram": "Telegram",
  "Settings": "Настройки",
  "API": "API",
  "Sign in": "Войти",
  "Sign up": "Зарегистрироваться",
  "Sign out": "Выйти",
  "Skip to content": "Перейти к содержимому",
  "Menu": "Меню",
  "Main": "Основное меню",
  "Language": "Язык",
  "Colour theme": "Цветовая тема",
  "System theme": "Как в системе",
  "Light": "Светлая",
  "Dark": "Тёмная",
  "You are offline. Showing what was loaded last; changes need a connection.":
    "Нет подключения к сети. Показано то, что загрузилось последним; для изменений нужна сеть.",
  "You are offline. Showing what was loaded at {{when}}; changes need a connection.":
    "Нет подключения к сети. Показано то, что загрузилось {{when}}; для изменений нужна сеть.",
  "The server cannot be reached. Showing what was loaded at {{when}}; changes need a connection.":
    "Сервер недоступен. Показано то, что загрузилось {{when}}; для изменений нужна сеть.",
  "You are offline, and this was not loaded on this device yet. Connect and try again.":
    "Вы не в сети, а эти данные ещё не загружались на этом устройстве. Подключитесь и попробуйте снова.",
  "Loading…": "Загрузка…",
  "Cancel": "Отмена",
  "Working…": "Выполняется…",
  "Page not found": "Страница не найдена",
  "There is nothing at this address.": "По этому адресу ничего нет.",
  "Go to the start page": "На главную",
  "Previous": "Назад",
  "Next": "Вперёд",
  "Page {{page}} of {{count}}": "Страница {{page}} из {{count}}",
  // auth
  "Checking your session…": "Проверяем сессию…",
  "At least 8 characters": "Не меньше 8 символов",
  "At least one letter": "Хотя бы одна буква",
  "At least one digit": "Хотя бы одна цифра",
  "Choose a stronger password: at least 8 characters with letters and digits.":
    "Выберите пароль понадёжнее: не меньше 8 символов, буквы и цифры.",
  "New password": "Новый пароль",
  "At least 8 characters, with letters and digits.": "Не меньше 8 символов, буквы и цифры.",
  "We sent the link to {{email}} again.": "Мы снова отправили ссылку на {{email}}.",
  "Sending…": "Отправляем…",
  "Send the e-mail again": "Отправить письмо ещё раз",
  "Enter the e-mail address of your account.": "Введите адрес электронной почты вашего аккаунта.",
  "E-mail": "Эл. почта",
  "Sign in with an e-mail": "Вход по письму",
  "We sent a sign-in link to {{email}}. Open it on this device.":
    "Мы отправили ссылку для входа на {{email}}. Откройте её на этом устройстве.",
  "E-mail me a link and code": "Прислать ссылку и код",
  "Sign in with your password instead": "Войти с паролем",
  "Check your e-mail": "Проверьте почту",
  "We sent a confirmation link to {{email}}. Open it on this device to finish signing up.":
    "Мы отправили ссылку для подтверждения на {{email}}. Откройте её на этом устройстве, чтобы завершить регистрацию.",
  "We sent you a confirmation link. Open it on this device to finish signing up.":
    "Мы отправили вам ссылку для подтверждения. Откройте её на этом устройстве, чтобы завершить регистрацию.",
  "No e-mail after a few minutes? Look in your spam folder, or send it again.":
    "Письма нет уже несколько минут? Проверьте папку «Спам» или отправьте письмо ещё раз.",
  "Your e-mail": "Ваша почта",
  "Already confirmed?": "Уже подтвердили?",
  "Confirming your e-mail": "Подтверждаем почту",
  "Confirming your e-mail…": "Подтверждаем почту…",
  "Check your other inbox": "Проверьте второй ящик",
  "E-mail confirmed": "Почта подтверждена",
  "The link did not work": "Ссылка не сработала",
  "The link did not work.": "Ссылка не сработала.",
  "One address is confirmed. Now open the link we sent to the other address.":
    "Один адрес подтверждён. Теперь откройте ссылку, которую мы отправили на другой адрес.",
  "This page needs the link from your confirmation e-mail.":
    "Для этой страницы нужна ссылка из письма с подтверждением.",
  "Your e-mail is confirmed. This browser did not start that request, so it is not signed in here. Sign in to continue; if you have just signed up, sign in with a code from e-mail and choose your password.":
    "Почта подтверждена. Этот запрос начат не в этом браузере, поэтому вход здесь не выполнен. Войдите, чтобы продолжить; если вы только что зарегистрировались, войдите по коду из письма и выберите пароль.",
  "Sign in with a code from e-mail": "Войти по коду из письма",
  "This link cannot sign you in here": "Эта ссылка не может выполнить вход здесь",
  "This link was not started in this browser, so it cannot sign you in here. Nothing has changed: if you were signed in, you still are.":
    "Эта ссылка начата не в этом браузере, поэтому выполнить по ней вход здесь нельзя. Ничего не изменилось: если вы были в аккаунте, вы в нём и остались.",
  "Open links only from e-mails you asked for, in the browser where you asked for them.":
    "Открывайте ссылки только из писем, которые вы запрашивали, и в том браузере, где запрашивали.",
  "Continue as {{email}}": "Продолжить как {{email}}",
  "Choose your password": "Выберите пароль",
  "Your e-mail {{email}} is confirmed.": "Адрес {{email}} подтверждён.",
  "Now choose the password you will sign in with. The one typed at sign-up no longer works: anyone can sign up with an address that is not theirs, so only the person who confirmed it sets the password.":
    "Теперь выберите пароль для входа. Пароль, введённый при регистрации, больше не действует: зарегистрироваться с чужим адресом может кто угодно, поэтому пароль задаёт только тот, кто подтвердил адрес.",
  "Save the password": "Сохранить пароль",
  "Reset your password": "Сброс пароля",
  "If an account uses {{email}}, we sent it a link to choose a new password. Open it on this device.":
    "Если аккаунт использует {{email}}, мы отправили туда ссылку для выбора нового пароля. Откройте её на этом устройстве.",
  "Use another address": "Указать другой адрес",
  "Send me a reset link": "Прислать ссылку для сброса",
  "Remembered it?": "Вспомнили?",
  "Or enter the 6-digit code from the e-mail": "Или введите 6-значный код из письма",
  "Enter the code from the e-mail: six digits.": "Введите код из письма: шесть цифр.",
  "Checking…": "Проверяем…",
  "Use the code": "Подтвердить кодом",
  "Enter your e-mail and password.": "Введите почту и пароль.",
  "Password": "Пароль",
  "Signing in…": "Входим…",
  "Forgot password?": "Забыли пароль?",
  "Sign in with an e-mailed link or code": "Войти по ссылке или коду из письма",
  "New here?": "Впервые здесь?",
  "Create an account": "Создать аккаунт",
  "Enter your e-mail address, e.g. ada@example.com.": "Введите адрес почты, например ada@example.com.",
  "Create your account": "Создайте аккаунт",
  "Build habits one small step at a time, with reminders in Telegram.":
    "Формируйте привычки маленькими шагами, с напоминаниями в Telegram.",
  "The password does not meet every rule below.": "Пароль не выполняет всех правил ниже.",
  "Password rules": "Правила пароля",
  " (met)": " (выполнено)",
  " (not met yet)": " (пока не выполнено)",
  "Display name (optional)": "Имя (необязательно)",
  "Creating your account…": "Создаём аккаунт…",
  "Already have an account?": "Уже есть аккаунт?",
  "Two-factor sign-in": "Двухфакторный вход",
  "Enter the 6-digit code from your authenticator app.":
    "Введите 6-значный код из приложения-аутентификатора.",
  "Open your authenticator app and enter the code it shows for Habits.":
    "Откройте приложение-аутентификатор и введите код, который оно показывает для «Привычек».",
  "Authenticator code": "Код аутентификатора",
  "Continue": "Продолжить",
  "Cancel and sign out": "Отменить и выйти",
  "Choose a new password": "Выберите новый пароль",
  "Opening the reset link…": "Открываем ссылку для сброса…",
  "Open the link from the reset e-mail, or enter its code.":
    "Откройте ссылку из письма для сброса или введите код из него.",
  "Send a new reset e-mail": "Отправить новое письмо для сброса",
  "Your new password is saved.": "Новый пароль сохранён.",
  "For {{email}}.": "Для {{email}}.",
  "Saving…": "Сохраняем…",
  "Save the new password": "Сохранить новый пароль",
  // Auth errors
  "Confirm your e-mail address first: open the link we sent you. You can send it again below.":
    "Сначала подтвердите почту: откройте ссылку из нашего письма. Ниже его можно отправить ещё раз.",
  "The e-mail or password is wrong.": "Неверная почта или пароль.",
  "We just sent you an e-mail. Wait a minute before asking for another one.":
    "Мы только что отправили вам письмо. Подождите минуту, прежде чем просить ещё одно.",
  "Too many attempts. Wait a little and try again.":
    "Слишком много попыток. Подождите немного и попробуйте снова.",
  "An account with this e-mail already exists. Sign in instead.":
    "Аккаунт с этой почтой уже есть. Войдите в него.",
  "This e-mail address is not valid.": "Этот адрес почты недействителен.",
  "This e-mail address cannot receive mail from us.": "На этот адрес мы не можем отправлять письма.",
  "Sign-ups are closed right now.": "Регистрация сейчас закрыта.",
  "Signing up with an e-mail address is turned off.": "Регистрация по почте отключена.",
  "Some of the details are not valid. Check them and try again.":
    "Некоторые данные неверны. Проверьте их и попробуйте снова.",
  "This code or link is wrong, has expired or was already used. Check it, or ask for a new one.":
    "Код или ссылка неверны, устарели или уже использованы. Проверьте их или запросите новые.",
  "The password is too long: at most {{max}} characters (bytes), the most a stored password can hold. Choose a shorter one.":
    "Пароль слишком длинный: не больше {{max}} символов (байт) — больше сохранённый пароль не вмещает. Выберите пароль короче.",
  "This e-mail address is not valid. Check it for typos, e.g. ada@example.com.":
    "Этот адрес почты неверен. Проверьте, нет ли опечатки, например ada@example.com.",
  "This link was opened in another browser, or it expired. Sign in to continue.":
    "Ссылку открыли в другом браузере, или срок её действия истёк. Войдите, чтобы продолжить.",
  "This link has expired. Sign in, or send a new confirmation e-mail.":
    "Срок действия ссылки истёк. Войдите или отправьте новое письмо с подтверждением.",
  "This link was opened in another browser. Your e-mail is confirmed; sign in to continue.":
    "Ссылку открыли в другом браузере. Почта подтверждена; войдите, чтобы продолжить.",
  "Your session has ended. Sign in again.": "Сессия завершилась. Войдите снова.",
  "Your session has expired. Sign in again.": "Сессия истекла. Войдите снова.",
  "There is no account with this e-mail.": "Аккаунта с этой почтой нет.",
  "This account is blocked.": "Этот аккаунт заблокирован.",
  "Choose a password different from the current one.": "Выберите пароль, отличный от текущего.",
  "There is no account with this e-mail. Create one first.":
    "Аккаунта с этой почтой нет. Сначала создайте его.",
  "For your safety, confirm it is you: enter the code we just e-mailed you.":
    "Для безопасности подтвердите, что это вы: введите код, который мы только что отправили на почту.",
  "That confirmation code is wrong or has expired. Ask for a new one.":
    "Код подтверждения неверен или устарел. Запросите новый.",
  "That authenticator code is wrong. Enter the current 6-digit code from the app.":
    "Неверный код аутентификатора. Введите текущий 6-значный код из приложения.",
  "That took too long. Enter a fresh code from the authenticator app.":
    "Прошло слишком много времени. Введите свежий код из приложения-аутентификатора.",
  "Two-factor sign-in was turned off for this account. Sign in again.":
    "Для этого аккаунта двухфакторный вход отключён. Войдите снова.",
  "Two-factor sign-in is not available right now.": "Двухфакторный вход сейчас недоступен.",
  "Confirm it is you with your authenticator code first (sign out and in again).":
    "Сначала подтвердите вход кодом аутентификатора (выйдите и войдите снова).",
  "Guest sign-in is turned off.": "Гостевой вход отключён.",
  "You are not allowed to do this.": "Вам это недоступно.",
  "The server cannot be reached. Check your connection and try again.":
    "Сервер недоступен. Проверьте подключение и попробуйте ещё раз.",
  "Something went wrong: {{message}}": "Что-то пошло не так: {{message}}",
  "Something went wrong. Try again.": "Что-то пошло не так. Попробуйте ещё раз.",
  // habits
  "Deleted “{{habit}}”.": "Удалено: «{{habit}}».",
  "New habit": "Новая привычка",
  "Your e-mail is confirmed. Welcome!": "Почта подтверждена. Добро пожаловать!",
  "Reminders are sent in Telegram.": "Напоминания приходят в Telegram.",
  "Connect your Telegram chat before creating habits":
    "Подключите чат Telegram, прежде чем создавать привычки",
  "Loading your habits…": "Загружаем ваши привычки…",
  "No habits yet. Start with something that takes less than two minutes.":
    "Привычек пока нет. Начните с того, что занимает меньше двух минут.",
  "Create your first habit": "Создать первую привычку",
  "Borrow one from the public habits": "Взять одну из публичных привычек",
  "{{count}} habits_one": "{{count}} привычка",
  "{{count}} habits_few": "{{count}} привычки",
  "{{count}} habits_many": "{{count}} привычек",
  "{{count}} habits_other": "{{count}} привычки",
  "Habit pages": "Страницы привычек",
  "Delete this habit?": "Удалить эту привычку?",
  "“{{habit}}” and its history will be deleted. This cannot be undone.":
    "«{{habit}}» и вся её история будут удалены. Это нельзя отменить.",
  "Delete habit": "Удалить привычку",
  "Copied from a public habit. Adjust it to fit your day.":
    "Скопировано из публичной привычки. Подстройте её под свой день.",
  "Habits need a Telegram chat for their reminders.": "Для напоминаний привычкам нужен чат Telegram.",
  "Connect Telegram": "Подключить Telegram",
  "first; this form keeps what you type.": "сначала; форма сохранит введённое.",
  "Create habit": "Создать привычку",
  "Created “I will {{action}}”.": "Создано: «Я буду {{action}}».",
  "Edit habit": "Изменить привычку",
  "Back to my habits": "К моим привычкам",
  "Save changes": "Сохранить изменения",
  "Saved your changes.": "Изменения сохранены.",
  "Connect Telegram now": "Подключить Telegram сейчас",
  "Sign in again": "Войти снова",
  "Sign in again to save: what you typed is kept.": "Войдите снова, чтобы сохранить: введённое сохранено.",
  "— what you typed here stays until you come back.": "— введённое здесь сохранится до вашего возвращения.",
  "I will … at … in …": "Я буду … в … (время) … (место)",
  "I will (action)": "Я буду (действие)",
  "read one page": "читать одну страницу",
  "{{count}}/200 characters": "{{count}}/200 символов",
  "at (time of day, your time zone)": "в (время дня, ваш часовой пояс)",
  "in (place)": "где (место)",
  "the kitchen": "на кухне",
  "How often and how long": "Как часто и как долго",
  "Every … days (1–7)": "Раз в … дней (1–7)",
  "Takes … seconds (at most 120)": "Занимает … секунд (не больше 120)",
  "This is a pleasant habit (something I enjoy)": "Это приятная привычка (то, что мне нравится)",
  "A pleasant habit is its own reward: it has no reward and no linked habit, and other habits can be followed by it.":
    "Приятная привычка сама себе награда: у неё нет ни награды, ни связанной привычки, и ею можно завершать другие привычки.",
  "Public": "Публичная",
  "Others can see and copy this habit, never who it belongs to.":
    "Другие увидят и смогут скопировать эту привычку, но не узнают, чья она.",
  "After it, I get…": "После неё я получаю…",
  "Nothing": "Ничего",
  "A reward": "Награду",
  "One of my pleasant habits": "Одну из моих приятных привычек",
  "Reward": "Награда",
  "a piece of dark chocolate": "кусочек тёмного шоколада",
  "Pleasant habit": "Приятная привычка",
  "Choose…": "Выберите…",
  "You have no pleasant habits yet. Create one first, then link it here.":
    "У вас пока нет приятных привычек. Сначала создайте одну, потом свяжите её здесь.",
  "Choose a time of day, e.g. 07:30.": "Выберите время дня, например 07:30.",
  "Choose one of your pleasant habits.": "Выберите одну из своих приятных привычек.",
  "Write the reward, or choose “Nothing”.": "Напишите награду или выберите «Ничего».",
  "I will {{action}} at {{time}} {{where}}": "Я буду {{action}} в {{time}}, {{where}}",
  "in {{place}}": "место: {{place}}",
  "You were signed out: your account no longer exists on this server (it was deleted, or the local database was reset).":
    "Вы вышли из аккаунта: его больше нет на этом сервере (он удалён, или локальная база данных сброшена).",
  "every {{count}} days_one": "раз в {{count}} день",
  "every {{count}} days_few": "раз в {{count}} дня",
  "every {{count}} days_many": "раз в {{count}} дней",
  "every {{count}} days_other": "раз в {{count}} дня",
  "{{count}} s": "{{count}} с",
  "reward: {{reward}}": "награда: {{reward}}",
  "pleasant": "приятная",
  "public": "публичная",
  "paused": "на паузе",
  "with a pleasant habit": "с приятной привычкой",
  "No reminders while paused.": "На паузе напоминаний нет.",
  "Next reminder: {{when}}": "Следующее напоминание: {{when}}",
  "Last done: {{when}}": "Последнее выполнение: {{when}}",
  "Not done yet.": "Ещё не выполнялась.",
  "Done today": "Сделано сегодня",
  "Edit": "Изменить",
  "Pause": "Пауза",
  "Resume": "Возобновить",
  "History": "История",
  "Delete": "Удалить",
  "Last 7 days": "Последние 7 дней",
  "Streak: {{count}}": "Серия: {{count}}",
  "done": "выполнено",
  "missed": "пропущено",
  "due today, still open": "на сегодня, ещё не выполнено",
  "not due": "не запланировано",
  // completions
  "This habit starts on a later day: nothing to mark yet.": "Привычка начнётся позже: отмечать пока нечего.",
  "Marked as done. Well done!": "Отмечено. Отлично!",
  "Already marked as done.": "Уже отмечено.",
  // today
  "Start with one small habit": "Начните с одной маленькой привычки",
  "A habit that sticks names an action, a time and a place:":
    "Привычка приживается, когда у неё есть действие, время и место:",
  "I will [ACTION] at [TIME] in [PLACE].": "Я буду [ДЕЙСТВИЕ] в [ВРЕМЯ], место: [МЕСТО].",
  "For example: I will read one page at 7:30 in the kitchen.":
    "Например: я буду читать одну страницу в 7:30 на кухне.",
  "Keep it under two minutes, and follow it with a small reward or something you enjoy.":
    "Пусть она занимает меньше двух минут, а после неё будет маленькая награда или то, что вам нравится.",
  "Loading today…": "Загружаем сегодняшний день…",
  "Nothing is due today. Enjoy the day!": "На сегодня ничего не запланировано. Хорошего дня!",
  "{{done}} of {{count}} done": "Выполнено {{done}} из {{count}}",
  "Paused": "На паузе",
  "Your reward: {{reward}}": "Ваша награда: {{reward}}",
  "Now enjoy: {{habit}}": "Теперь в удовольствие: {{habit}}",
  "Done. Well done!": "Выполнено. Отлично!",
  "Undo": "Отменить",
  "Mark done": "Отметить",
  // history
  "Loading the history…": "Загружаем историю…",
  "{{interval}} · since {{date}} · times in {{zone}}": "{{interval}} · с {{date}} · время по поясу {{zone}}",
  "Current streak": "Текущая серия",
  "Best streak": "Лучшая серия",
  "Done in total": "Всего выполнено",
  "Done for this time ✓": "На этот раз выполнено ✓",
  "Mark as done": "Отметить выполнение",
  "This habit starts on a later day.": "Привычка начнётся позже.",
  "Habit strength": "Сила привычки",
  "Completion rate": "Доля выполнений",
  "Choose the digest's time, for example {{time}}.": "Укажите время сводки, например {{time}}.",
  "Time format": "Формат времени",
  "As usual in my language ({{example}})": "Как принято в моём языке ({{example}})",
  "24-hour ({{example}})": "24-часовой ({{example}})",
  "12-hour ({{example}})": "12-часовой ({{example}})",
  "Times are written this way here and in Telegram.": "Так время пишется здесь и в Telegram.",
  "Completions by day, scrollable": "Выполнения по дням, прокручиваются",
  "Fix the last {{days}} days": "Исправить последние {{days}} дней",
  "Nothing was due in these days.": "В эти дни ничего не было запланировано.",
  "Pressed days are done. Press a day to mark it done or not done.":
    "Нажатые дни выполнены. Нажмите на день, чтобы отметить его выполненным или снять отметку.",
  "Marked {{day}} as done.": "{{day}}: отмечено как выполненное.",
  "{{day}} is no longer marked as done.": "{{day}}: отметка о выполнении снята.",
  "Undone: {{day}} is as it was.": "Отменено: {{day}} — как было.",
  "Undone: not marked as done.": "Отменено: отметка о выполнении снята.",
  "Per week": "По неделям",
  "Per month": "По месяцам",
  "Completions": "Выполнения",
  "Recent deliveries": "Последние сообщения",
  "Habit strength now: {{percent}} %": "Сила привычки сейчас: {{percent}} %",
  "Strength {{percent}} %: it grows with each done occurrence and fades slowly with misses.":
    "Сила {{percent}} %: растёт с каждым выполнением и медленно убывает при пропусках.",
  "{{period}}: {{done}} of {{due}} done ({{percent}} %)":
    "{{period}}: выполнено {{done}} из {{due}} ({{percent}} %)",
  "Completions over the last {{weeks}} weeks: {{count}} days done._one":
    "Выполнения за последние недели ({{weeks}}): {{count}} день.",
  "Completions over the last {{weeks}} weeks: {{count}} days done._few":
    "Выполнения за последние недели ({{weeks}}): {{count}} дня.",
  "Completions over the last {{weeks}} weeks: {{count}} days done._many":
    "Выполнения за последние недели ({{weeks}}): {{count}} дней.",
  "Completions over the last {{weeks}} weeks: {{count}} days done._other":
    "Выполнения за последние недели ({{weeks}}): {{count}} дня.",
  "due, not done": "запланировано, не выполнено",
  "due, still open": "запланировано, ещё можно выполнить",
  "before the habit started": "до начала привычки",
  "Habit created": "Привычка создана",
  "Reminder": "Напоминание",
  "Snoozed reminder": "Отложенное напоминание",
  "waiting": "ожидает",
  "sending": "отправляется",
  "will retry": "будет повтор",
  "sent": "отправлено",
  "failed": "не доставлено",
  "skipped": "пропущено",
  "maybe delivered": "возможно, доставлено",
  "No Telegram messages for this habit yet.": "Сообщений в Telegram об этой привычке пока не было.",
  "The latest Telegram messages about this habit": "Последние сообщения в Telegram об этой привычке",
  "Message": "Сообщение",
  "For": "На время",
  "Status": "Статус",
  "Details": "Подробности",
  "at {{when}}": "в {{when}}",
  "{{count}} attempts_one": "{{count}} попытка",
  "{{count}} attempts_few": "{{count}} попытки",
  "{{count}} attempts_many": "{{count}} попыток",
  "{{count}} attempts_other": "{{count}} попытки",
  // Telegram
  "Open Telegram and connect": "Открыть Telegram и подключить",
  "QR code of the Telegram link": "QR-код ссылки на Telegram",
  "On your phone? Scan this code with the camera.": "На телефоне? Отсканируйте этот код камерой.",
  "Or send this message to the bot yourself:": "Или отправьте боту это сообщение сами:",
  "Send this message to the bot in Telegram:": "Отправьте это сообщение боту в Telegram:",
  "Copy": "Копировать",
  "The code works once and until {{when}}. This page updates by itself when you are connected.":
    "Код действует один раз и до {{when}}. Эта страница обновится сама, когда вы подключитесь.",
  "Reminders for your habits arrive in Telegram, with a Done button to record them.":
    "Напоминания о привычках приходят в Telegram, с кнопкой «Готово», чтобы отметить выполнение.",
  "Connected": "Подключено",
  "as @{{username}}": "как @{{username}}",
  "since {{when}}": "с {{when}}",
  "Disconnected:": "Отключено:",
  "Telegram told us you blocked the bot on {{when}}. Unblock it and connect again below.":
    "Telegram сообщил, что {{when}} вы заблокировали бота. Разблокируйте его и подключитесь снова ниже.",
  "Not connected.": "Не подключено.",
  "Connect a chat to create habits and get reminders.":
    "Подключите чат, чтобы создавать привычки и получать напоминания.",
  "You are all set.": "Всё готово.",
  "Create a habit": "Создать привычку",
  "Disconnect": "Отключить",
  "Disconnecting stops all reminders until you connect a chat again (sending /stop to the bot does the same). To move reminders to another chat, get a new code and send it from that chat.":
    "После отключения напоминаний не будет, пока вы снова не подключите чат (команда /stop боту делает то же самое). Чтобы перенести напоминания в другой чат, получите новый код и отправьте его из того чата.",
  "Disconnect Telegram": "Отключить Telegram",
  "Disconnect Telegram?": "Отключить Telegram?",
  "You will get no reminders until you connect a chat again.":
    "Напоминаний не будет, пока вы снова не подключите чат.",
  "Getting a code…": "Получаем код…",
  "Connect another chat instead": "Подключить другой чат",
  "Waiting for your message in Telegram…": "Ждём вашего сообщения в Telegram…",
  // public habits
  "Habits others chose to share. Use one as a template for your own.":
    "Привычки, которыми поделились другие. Возьмите любую как образец для своей.",
  "Loading public habits…": "Загружаем публичные привычки…",
  "No public habits yet. Mark one of your habits as public to share it.":
    "Публичных привычек пока нет. Сделайте одну из своих привычек публичной, чтобы поделиться ею.",
  "Use as template": "Взять как образец",
  "Public habit pages": "Страницы публичных привычек",
  // settings
  "Choose a time zone from the list, e.g. Europe/Berlin.":
    "Выберите часовой пояс из списка, например Europe/Moscow.",
  "Keep the display name to {{max}} characters.": "Имя — не длиннее {{max}} символов.",
  "Reminders come in Telegram, so connect your Telegram chat first; then create your first habit.":
    "Напоминания приходят в Telegram, поэтому сначала подключите чат Telegram, а затем создайте первую привычку.",
  "This is the draft you left unsaved.": "Это черновик, который вы не сохранили.",
  "Discard the draft": "Удалить черновик",
  "You already have this exact habit. Press “Create habit” again to add it anyway.":
    "У вас уже есть точно такая же привычка. Нажмите «Создать привычку» ещё раз, чтобы всё равно добавить её.",
  "{{file}} line {{line}}": "{{file}}, строка {{line}}",
  "Operations": "Операции",
  "This page could not be loaded": "Страницу не удалось загрузить",
  "Try again": "Попробовать снова",
  "You are offline, and this page was not saved on this device yet. Connect and try again.":
    "Вы не в сети, а эта страница ещё не сохранена на устройстве. Подключитесь и попробуйте снова.",
  "Something went wrong while loading it. Try again in a moment.":
    "При загрузке что-то пошло не так. Попробуйте ещё раз чуть позже.",
  "Type it in capital letters: {{word}}.": "Введите заглавными буквами: {{word}}.",
  "Saved. Reminders now follow this time zone.":
    "Сохранено. Напоминания теперь идут по этому часовому поясу.",
  "The web app and the Telegram bot speak this language.":
    "На этом языке говорят веб-приложение и бот в Telegram.",
  "Display name": "Имя",
  "Only you see it.": "Его видите только вы.",
  "Time zone": "Часовой пояс",
  "Type to search, e.g. “Berlin”. Habit times are read in this time zone.":
    "Начните вводить для поиска, например «Moscow». Время привычек считается в этом поясе.",
  "Use this device's time zone ({{zone}})": "Использовать пояс этого устройства ({{zone}})",
  "Save settings": "Сохранить настройки",
  "Type {{word}} to confirm.": "Введите {{word}} для подтверждения.",
  "Type {{word}} to confirm": "Введите {{word}} для подтверждения",
  "Your session has ended. Sign in again, then delete your account.":
    "Сессия завершилась. Войдите снова, затем удалите аккаунт.",
  "Your account could not be deleted. Nothing was removed; try again in a moment.":
    "Не удалось удалить аккаунт. Ничего не удалено; попробуйте чуть позже.",
  "Your account and all its data are deleted.": "Ваш аккаунт и все его данные удалены.",
  "Delete my account": "Удалить мой аккаунт",
  "This deletes your account, your habits, their history and reminders, for good. A linked Telegram chat gets a goodbye message.":
    "Аккаунт, привычки, их история и напоминания будут удалены навсегда. Подключённый чат Telegram получит прощальное сообщение.",
  "Deleting…": "Удаляем…",
  "Enter the new e-mail address.": "Введите новый адрес почты.",
  "This is already your e-mail address.": "Это уже ваш адрес почты.",
  "Another account already uses this e-mail address.": "Этот адрес почты уже использует другой аккаунт.",
  "E-mail address": "Адрес почты",
  "Now:": "Сейчас:",
  "Your e-mail address is now {{email}}.": "Теперь ваш адрес почты — {{email}}.",
  "Check both inboxes: we sent a confirmation to {{from}} and to {{to}}. Your address changes once both are confirmed (open each link, or enter each code below).":
    "Проверьте оба ящика: мы отправили подтверждение на {{from}} и на {{to}}. Адрес сменится, когда оба будут подтверждены (откройте каждую ссылку или введите каждый код ниже).",
  "{{email}} is confirmed. Now confirm the other address.":
    "{{email}} подтверждён. Теперь подтвердите другой адрес.",
  "Code sent to {{email}}": "Код, отправленный на {{email}}",
  "New e-mail address": "Новый адрес почты",
  "Change e-mail": "Сменить почту",
  "Code from the e-mail we just sent": "Код из письма, которое мы только что отправили",
  "Change password": "Сменить пароль",
  "Enter the 6-digit code the app shows.": "Введите 6-значный код, который показывает приложение.",
  "Two-factor sign-in is on. We will ask for a code when you sign in.":
    "Двухфакторный вход включён. При входе мы спросим код.",
  "Two-factor sign-in is off.": "Двухфакторный вход выключен.",
  "On: signing in asks for a code from your authenticator app.":
    "Включён: при входе нужен код из приложения-аутентификатора.",
  "Turn off two-factor sign-in": "Выключить двухфакторный вход",
  "Off. With it on, signing in also asks for a code from an authenticator app.":
    "Выключен. Если включить, при входе понадобится ещё и код из приложения-аутентификатора.",
  "Set up two-factor sign-in": "Настроить двухфакторный вход",
  "Scan this code with your authenticator app, then enter the code it shows.":
    "Отсканируйте этот код приложением-аутентификатором и введите код, который оно покажет.",
  "QR code for your authenticator app": "QR-код для приложения-аутентификатора",
  "Cannot scan? Enter this key in the app:": "Не получается отсканировать? Введите этот ключ в приложении:",
  "Code from the app": "Код из приложения",
  "Turn on": "Включить",
  // API docs
  "API docs": "Документация API",
  "API docs (ReDoc)": "Документация API (ReDoc)",
  "The Data API at /rest/v1, as PostgREST describes it. Send the project's anon key in the apikey header and your access token as Authorization: Bearer …; row-level security shows you only your own rows.":
    "Data API по адресу /rest/v1 в описании PostgREST. Передавайте анонимный ключ проекта в заголовке apikey, а свой токен доступа — как Authorization: Bearer …; защита на уровне строк показывает только ваши строки.",
  "The same API in ReDoc": "Тот же API в ReDoc",
  "The same API in Swagger UI": "Тот же API в Swagger UI",
  "Loading the API description…": "Загружаем описание API…",
  "The API description could not be loaded (HTTP {{status}}). Try again later.":
    "Не удалось загрузить описание API (HTTP {{status}}). Попробуйте позже.",
  "Your data": "Ваши данные",
  "Download everything as one JSON file, or a CSV per table (the format is in the README).":
    "Скачайте всё одним файлом JSON или по файлу CSV на таблицу (формат описан в README).",
  "Download my data (JSON)": "Скачать мои данные (JSON)",
  "The download failed. Try again in a moment.": "Скачать не удалось. Попробуйте чуть позже.",
  "Import": "Импорт",
  "Our own CSV export (habits.csv and completions.csv) or Loop Habit Tracker's (Habits.csv and Checkmarks.csv from its zip). All or nothing: a refused file writes nothing.":
    "Наш собственный экспорт CSV (habits.csv и completions.csv) или экспорт Loop Habit Tracker (Habits.csv и Checkmarks.csv из его архива). Всё или ничего: отклонённый файл ничего не записывает.",
  "This app's CSV export": "Экспорт CSV этого приложения",
  "Importing…": "Импортируем…",
  "Choose both files first.": "Сначала выберите оба файла.",
  "Imported {{habits}} habits and {{completions}} completions.":
    "Импортировано привычек: {{habits}}, отметок о выполнении: {{completions}}.",
  "The import failed; nothing was written.": "Импорт не удался; ничего не записано.",
  "Weekly digest": "Недельная сводка",
  "Send me a weekly digest in Telegram": "Присылать мне недельную сводку в Telegram",
  "Digest day": "День сводки",
  "Digest time (local)": "Время сводки (местное)",
  "Save digest": "Сохранить сводку",
  "Saved.": "Сохранено.",
};
