"""The Telegram bot shell (python-telegram-bot 22): commands, documents, voice notes and questions."""
