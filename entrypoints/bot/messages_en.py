"""The English catalog."""

from application import error_texts

TEXTS = {
    "start": "👋 Hello{name}! I answer questions about your documents.\n"
             "1. Send me a PDF, Excel, Word, text or audio file (or a voice note).\n"
             "2. Ask a question in plain words: I answer with citations (page, cell, section).\n"
             "3. /mydocs lists your documents, /help shows every command.\n"
             "Your plan: <b>{tier}</b>.",
    "help": "<b>Commands</b>\n"
            "/mydocs — your documents (use or delete them)\n"
            "/use N — ask about document N of /mydocs\n"
            "/new — start a new conversation about the active document\n"
            "/history — your recent conversations (continue or export one)\n"
            "/export — the current conversation as a file (DOCX; /export md, pdf or json)\n"
            "/clear — delete all your documents\n"
            "/usage — questions left, documents, tokens\n"
            "/lang — language (English / Русский)\n"
            "/token — a one-time code for the web/API\n\n"
            "Send a file to add it; write a question to ask about the active document; "
            "send a voice note to ask aloud. Follow-up questions (\"and in Riga?\") continue the "
            "conversation; reply to an earlier answer to go on from there.",
    "cmd_start": "Start and register", "cmd_help": "What I can do", "cmd_mydocs": "Your documents",
    "cmd_use": "Choose the document to ask about", "cmd_clear": "Delete all documents",
    "cmd_usage": "Questions and documents left", "cmd_lang": "Language", "cmd_token": "Code for web/API access",
    "cmd_new": "Start a new conversation", "cmd_history": "Recent conversations",
    "cmd_export": "Export the conversation",
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
    "token": "Your one-time code: <code>{code}</code>\nValid for {minutes} minutes, once. Enter it on the web "
             "dashboard's Settings page to link this chat to your web account (what you sent me moves there), "
             "or exchange it at <code>POST /api/v1/auth/telegram-code</code> for API tokens.",
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
    "cite_expired": "That answer is gone (its document was deleted); ask again.",
    "cite_text": "<b>[{n}] {label}</b>\n<blockquote>{quote}</blockquote>",
    "transcript": "🎙 <i>{text}</i>",
    "no_speech": "I could not make out any words in this voice note.",
    "new_thread": "🆕 New conversation: your next question starts it (earlier ones are in /history).",
    "history_empty": "No conversations yet: ask a question about a document.",
    "history_title": "<b>Your conversations</b> (★ = current; 💬 questions asked):",
    "history_line": "{n}. {star}{title} — {about} · {date} UTC · 💬 {turns}",
    "untitled": "(untitled)",
    "scope_library": "all documents", "scope_documents": "{count} documents", "scope_gone": "deleted document",
    "btn_continue": "▶ {n}", "btn_export": "📄 {n}",
    "thread_continued": "▶ Continuing <b>{title}</b>; your questions now go on from:\n<i>{last}</i>",
    "thread_missing": "That conversation no longer exists. See /history.",
    "thread_gone": "That conversation's document was deleted, so it cannot go on. "
                   "Send /new to start a new conversation about the active document, or /mydocs to choose one.",
    "export_usage": "Send /export for a Word file (DOCX), or /export md, /export pdf, /export json.",
    "export_unavailable": "Exporting conversations is not available yet.",
    "internal": "Sorry, something went wrong on my side. Please try again in a minute.",
}

ERRORS = error_texts.EN  # shared with the Telegram notifier (application.error_texts)
