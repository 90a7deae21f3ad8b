"""What each domain error code means to a person, in every language the product speaks (en, ru).

One catalog for every channel that talks to users in their own language: the bot's replies and the
"could not read" notices workers send. Templates take the error's details ({limit}, {message} ...);
``error_text`` falls back to English, then to a generic line when a value is missing."""

from __future__ import annotations

EN = {
    "domain_error": "That did not work. Please try again.",
    "invalid_input": "That input is not valid: {message}",
    "user_not_found": "I do not know this account. Send /start.",
    "user_banned": "Sorry, this account has been suspended. If you think this is a mistake, contact support.",
    "user_inactive": "This account is inactive. Contact support to reactivate it.",
    "email_taken": "That email address is already registered.",
    "invalid_credentials": "The code or credentials are not valid.",
    "token_expired": "The code has expired. Ask for a new one with /token.",
    "permission_denied": "You are not allowed to do that.",
    "document_not_found": "I cannot find that document. See /mydocs.",
    "document_not_ready": "The document is still being processed. I will tell you when it is ready.",
    "document_failed": "I could not read this document. Send it again or choose another one with /mydocs.",
    "no_active_document": "Send me a document first, then ask about it.",
    "document_quota_exceeded": "Your plan keeps up to {limit} documents. Delete one (/mydocs) to add more.",
    "file_empty": "The file is empty.",
    "file_too_large": "The file is too large for your plan (up to {limit_mb} MB).",
    "unsupported_file_type": "I cannot read this type of file. Send a PDF, Excel, Word, text or audio file.",
    "file_encrypted": "The file is encrypted. Save it without a password (as .docx/.xlsx) and send it again.",
    "file_corrupt": "The file seems damaged; I cannot open it.",
    "no_text_found": "I found no text in this file.",
    "password_required": "This file is protected by a password. Upload it on the web/API with its password.",
    "file_too_complex": "This file is over your plan's limits (pages, text or processing time).",
    "hostile_file": "This file was refused: it looks built to exhaust the reader (zip bomb, XML entities).",
    "rate_limited": "You have used all {limit} questions of this {window}. More at {reset} UTC.",
    "processing_error": "Processing failed. Please try again later.",
    "service_unavailable": "The service is busy right now. Please try again in a minute.",
    "registration_closed": "Registration is closed.",
    "api_key_not_found": "That API key does not exist.",
    "stored_file_unreadable": "The stored copy of this file cannot be read. Please contact support.",
    "backup_failed": "The backup could not be made or read.",
    "restore_refused": "The restore was refused.",
    "link_refused": "These two accounts cannot be linked: {message}",
}

RU = {
    "domain_error": "Не получилось. Попробуйте ещё раз.",
    "invalid_input": "Неверные данные: {message}",
    "user_not_found": "Я не знаю этот аккаунт. Отправьте /start.",
    "user_banned": "Извините, этот аккаунт заблокирован. Если это ошибка, напишите в поддержку.",
    "user_inactive": "Этот аккаунт неактивен. Напишите в поддержку, чтобы его включить.",
    "email_taken": "Этот адрес почты уже зарегистрирован.",
    "invalid_credentials": "Код или учётные данные неверны.",
    "token_expired": "Срок действия кода истёк. Получите новый командой /token.",
    "permission_denied": "У вас нет прав на это действие.",
    "document_not_found": "Не нахожу этот документ. См. /mydocs.",
    "document_not_ready": "Документ ещё обрабатывается. Я сообщу, когда он будет готов.",
    "document_failed": "Не удалось прочитать этот документ. Пришлите его снова или выберите другой в /mydocs.",
    "no_active_document": "Сначала пришлите документ, затем задайте вопрос.",
    "document_quota_exceeded": "Ваш тариф позволяет хранить до {limit} документов. Удалите один (/mydocs).",
    "file_empty": "Файл пустой.",
    "file_too_large": "Файл слишком большой для вашего тарифа (до {limit_mb} МБ).",
    "unsupported_file_type": "Я не умею читать такой тип файлов. Пришлите PDF, Excel, Word, текст или аудио.",
    "file_encrypted": "Файл зашифрован. Сохраните его без пароля (.docx/.xlsx) и пришлите снова.",
    "file_corrupt": "Файл повреждён, открыть его не получается.",
    "no_text_found": "В этом файле нет текста.",
    "password_required": "Файл защищён паролем. Загрузите его через веб/API вместе с паролем.",
    "file_too_complex": "Файл превышает ограничения тарифа (страницы, объём текста или время обработки).",
    "hostile_file": "Файл отклонён: похоже, он создан, чтобы перегрузить обработку (zip-бомба, XML-сущности).",
    "rate_limited": "Вы исчерпали все {limit} вопросов за {window}. Новые будут в {reset} UTC.",
    "processing_error": "Обработка не удалась. Попробуйте позже.",
    "service_unavailable": "Сервис сейчас занят. Попробуйте через минуту.",
    "registration_closed": "Регистрация закрыта.",
    "api_key_not_found": "Такого API-ключа нет.",
    "stored_file_unreadable": "Сохранённую копию этого файла не удаётся прочитать. Напишите в поддержку.",
    "backup_failed": "Не удалось создать или прочитать резервную копию.",
    "restore_refused": "Восстановление отклонено.",
    "link_refused": "Эти аккаунты нельзя связать: у аккаунта уже есть другой Telegram, или у аккаунта Telegram "
                    "есть свои почта и пароль.",
}

CATALOGS = {"en": EN, "ru": RU}


def error_text(language: str, code: str, **values: object) -> str:
    """The message for ``code`` in ``language`` (an unknown code or a missing value: the generic line)."""
    errors = CATALOGS.get(language, EN)
    template = errors.get(code) or EN.get(code) or errors["domain_error"]
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return errors["domain_error"]


def knows(code: str | None) -> bool:
    """A code with a text of its own (not the generic line)."""
    return code is not None and code in EN and code != "domain_error"
