"""The Russian catalog."""

from application import error_texts

TEXTS = {
    "start": "👋 Здравствуйте{name}! Я отвечаю на вопросы по вашим документам.\n"
             "1. Пришлите PDF, Excel, Word, текст или аудио (или голосовое сообщение).\n"
             "2. Задайте вопрос своими словами: я отвечу со ссылками (страница, ячейка, раздел).\n"
             "3. /mydocs — ваши документы, /help — все команды.\n"
             "Ваш тариф: <b>{tier}</b>.",
    "help": "<b>Команды</b>\n"
            "/mydocs — ваши документы (выбрать или удалить)\n"
            "/use N — спрашивать о документе N из /mydocs\n"
            "/new — начать новый диалог об активном документе\n"
            "/history — недавние диалоги (продолжить или выгрузить)\n"
            "/export — текущий диалог файлом (DOCX; /export md, pdf или json)\n"
            "/clear — удалить все документы\n"
            "/usage — сколько осталось вопросов, документы, токены\n"
            "/lang — язык (English / Русский)\n"
            "/token — одноразовый код для веба/API\n\n"
            "Пришлите файл, чтобы добавить его; напишите вопрос об активном документе; "
            "или спросите голосом. Уточняющие вопросы («а в Риге?») продолжают диалог; "
            "ответьте на прежний ответ, чтобы продолжить с него.",
    "cmd_start": "Начать и зарегистрироваться", "cmd_help": "Что я умею", "cmd_mydocs": "Ваши документы",
    "cmd_use": "Выбрать документ для вопросов", "cmd_clear": "Удалить все документы",
    "cmd_usage": "Остаток вопросов и документов", "cmd_lang": "Язык", "cmd_token": "Код для доступа к вебу/API",
    "cmd_new": "Начать новый диалог", "cmd_history": "Недавние диалоги",
    "cmd_export": "Выгрузить диалог",
    "tier_free": "Бесплатный", "tier_premium": "Премиум", "tier_enterprise": "Корпоративный",
    "no_documents": "У вас пока нет документов. Пришлите файл, чтобы начать.",
    "mydocs_title": "<b>Ваши документы</b> (★ — активный):",
    "btn_use": "Выбрать {n}", "btn_delete": "🗑 {n}",
    "status_pending": "в очереди", "status_processing": "обрабатывается", "status_completed": "готов",
    "status_failed": "ошибка",
    "use_usage": "Отправьте /use N с номером из /mydocs.",
    "now_active": "Теперь вопросы о документе <b>{name}</b>.",
    "deleted": "Документ <b>{name}</b> удалён.",
    "clear_confirm": "Удалить все документы ({count})? Это нельзя отменить.",
    "btn_yes_clear": "Да, удалить все", "btn_cancel": "Отмена",
    "cleared": "Удалено документов: {count}.", "cancelled": "Отменено.",
    "usage_title": "<b>Использование</b> (тариф: {tier})",
    "usage_window": "Вопросы за {window}: осталось {remaining} из {limit} (сброс в {reset} UTC)",
    "usage_unlimited": "Вопросы: без ограничений",
    "usage_documents": "Документы: {used} из {allowed}",
    "usage_tokens": "Токены (30 дней): {tokens_in} на входе, {tokens_out} на выходе",
    "unlimited": "без ограничений",
    "window_minute": "минуту", "window_hour": "час", "window_day": "день",
    "lang_choose": "Выберите язык:", "lang_set": "Язык: русский.",
    "token": "Ваш одноразовый код: <code>{code}</code>\nДействует {minutes} минут, один раз. Обменяйте его "
             "на токены API: <code>POST /api/v1/auth/telegram-code</code>.",
    "processing": "⏳ Обрабатываю <b>{name}</b>…",
    "progress": "⏳ Обрабатываю <b>{name}</b>… {done}/{total} ({percent}%)",
    "received": "⏳ Получил <b>{name}</b>; сообщу, когда будет готов.",
    "duplicate": "Вы уже присылали <b>{name}</b>; теперь это активный документ.",
    "too_big": "Размер файла {size} МБ. Telegram позволяет ботам скачивать файлы до 20 МБ.\n"
               "Варианты: загрузите его через веб/API (доступ даёт /token) или попросите администратора "
               "запустить собственный сервер Bot API — он снимает ограничение.",
    "no_active": "Сначала пришлите документ (PDF, Excel, Word, текст или аудио), затем задайте вопрос.",
    "not_a_file": "Я не умею читать такие сообщения. Пришлите документ или напишите вопрос.",
    "thinking": "🤔 …",
    "sources": "<b>Источники</b>",
    "btn_cite": "📖 [{n}] {label}",
    "btn_other_doc": "📂 Спросить о другом документе",
    "cite_expired": "Этого ответа больше нет (его документ удалён); задайте вопрос снова.",
    "cite_text": "<b>[{n}] {label}</b>\n<blockquote>{quote}</blockquote>",
    "transcript": "🎙 <i>{text}</i>",
    "no_speech": "Не удалось разобрать слова в этом голосовом сообщении.",
    "new_thread": "🆕 Новый диалог: он начнётся со следующего вопроса (прежние — в /history).",
    "history_empty": "Диалогов пока нет: задайте вопрос о документе.",
    "history_title": "<b>Ваши диалоги</b> (★ — текущий; 💬 — число вопросов):",
    "history_line": "{n}. {star}{title} — {about} · {date} UTC · 💬 {turns}",
    "untitled": "(без названия)",
    "scope_library": "все документы", "scope_documents": "документов: {count}", "scope_gone": "документ удалён",
    "btn_continue": "▶ {n}", "btn_export": "📄 {n}",
    "thread_continued": "▶ Продолжаем <b>{title}</b>; вопросы продолжат диалог с места:\n<i>{last}</i>",
    "thread_missing": "Этого диалога больше нет. См. /history.",
    "thread_gone": "Документ этого диалога удалён, продолжить его нельзя. "
                   "Отправьте /new, чтобы начать новый диалог об активном документе, или /mydocs, чтобы выбрать документ.",
    "export_usage": "Отправьте /export для файла Word (DOCX) или /export md, /export pdf, /export json.",
    "export_unavailable": "Выгрузка диалогов пока недоступна.",
    "internal": "Извините, у меня что-то сломалось. Попробуйте ещё раз через минуту.",
}

ERRORS = error_texts.RU  # shared with the Telegram notifier (application.error_texts)
