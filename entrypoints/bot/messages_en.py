"""The English catalog."""

TEXTS = {
    "start": "👋 Hello{name}! I answer questions about your documents.\n"
             "1. Send me a PDF, Excel, Word, text or audio file (or a voice note).\n"
             "2. Ask a question in plain words: I answer with citations (page, cell, section).\n"
             "3. /mydocs lists your documents, /help shows every command.\n"
             "Your plan: <b>{tier}</b>.",
    "help": "<b>Commands</b>\n"
            "/mydocs — your documents (use or delete them)\n"
            "/use N — ask about document N of /mydocs\n"
            "/clear — delete all your documents\n"
            "/usage — questions left, documents, tokens\n"
            "/lang — language (English / Русский)\n"
            "/token — a one-time code for the web/API\n\n"
            "Send a file to add it; write a question to ask about the active document; "
            "send a voice note to ask aloud.",
    "cmd_start": "Start and register", "cmd_help": "What I can do", "cmd_mydocs": "Your documents",
    "cmd_use": "Choose the document to ask about", "cmd_clear": "Delete all documents",
    "cmd_usage": "Questions and documents left", "cmd_lang": "Language", "cmd_token": "Code for web/API access",
    "tier_free": "Free", "tier_premium": "Premium", "tier_enterprise": "Enterprise",
    "no_documents": "You have no documents yet. Send me a file to start.",
    "mydocs_title": "<b>Your documents</b> (★ = active):",
    "btn_use": "Use {n}", "btn_delete": "🗑 {n}",
    "status_pending": "queued", "status_processing": "processing", "status_completed": "ready",
    "status_failed": "failed",
    "use_usage": "Send /use N with the number from /mydocs.",
    "now_active": "Questions now go to <b>{name}</b>.",
    "deleted": "Deleted <b>{name}</b>.",
    "clear_confirm": "Delete all {count} documents? This cannot be undone.",
    "btn_yes_clear": "Yes, delete all", "btn_cancel": "Cancel",
    "cleared": "Deleted {count} documents.", "cancelled": "Cancelled.",
    "usage_title": "<b>Usage</b> (plan: {tier})",
    "usage_window": "Questions this {window}: {remaining} of {limit} left (resets {reset} UTC)",
    "usage_unlimited": "Questions: unlimited",
    "usage_documents": "Documents: {used} of {allowed}",
    "usage_tokens": "Tokens (30 days): {tokens_in} in, {tokens_out} out",
    "unlimited": "unlimited",
    "window_minute": "minute", "window_hour": "hour", "window_day": "day",
    "lang_choose": "Choose a language:", "lang_set": "Language: English.",
    "token": "Your one-time code: <code>{code}</code>\nValid for {minutes} minutes, once. Exchange it at "
             "<code>POST /api/v1/auth/telegram-code</code> for API tokens.",
    "processing": "⏳ Processing <b>{name}</b>…",
    "progress": "⏳ Processing <b>{name}</b>… {done}/{total} ({percent}%)",
    "received": "⏳ Got <b>{name}</b>; I will tell you when it is ready.",
    "duplicate": "You already sent <b>{name}</b>; it is now the active document.",
    "too_big": "This file is {size} MB. Telegram lets bots download files up to 20 MB.\n"
               "Alternatives: upload it on the web/API (/token gives you access), or ask the operator "
               "to run a self-hosted Bot API server, which lifts the limit.",
    "no_active": "Send me a document first (PDF, Excel, Word, text or audio), then ask about it.",
    "not_a_file": "I cannot read this kind of message. Send a document or write a question.",
    "thinking": "🤔 …",
    "sources": "<b>Sources</b>",
    "btn_cite": "📖 [{n}] {label}",
    "btn_other_doc": "📂 Ask about another document",
    "cite_expired": "That answer is too old; ask again to see its sources.",
    "cite_text": "<b>[{n}] {label}</b>\n<blockquote>{quote}</blockquote>",
    "transcript": "🎙 <i>{text}</i>",
    "no_speech": "I could not make out any words in this voice note.",
    "internal": "Sorry, something went wrong on my side. Please try again in a minute.",
}

ERRORS = {
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
    "password_required": "This PDF is protected by a password. Upload it on the web/API with its password.",
    "file_too_complex": "This file is over your plan's limits (pages, text or processing time).",
    "hostile_file": "This file was refused: it looks built to exhaust the reader (zip bomb, XML entities).",
    "rate_limited": "You have used all {limit} questions of this {window}. More at {reset} UTC.",
    "processing_error": "Processing failed. Please try again later.",
    "service_unavailable": "The service is busy right now. Please try again in a minute.",
    "registration_closed": "Registration is closed.",
    "api_key_not_found": "That API key does not exist.",
}
