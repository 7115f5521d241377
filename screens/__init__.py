"""The Textual layer of the console: the app, one screen per module, widgets. Only
``helpdesk.cli`` imports it; the core under ``helpdesk/`` never does."""
