"""Small reusable dialogs: each one a ``ModalScreen`` that asks one thing and dismisses with the answer."""
