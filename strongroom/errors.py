"""The error tree, split by audience (see STYLE.md §4).

- ``UserError``: shown to the person as is; the message says what to do.
  Never put document text in a message: messages reach logs and dialogs.
- ``Cancelled``: the person asked to stop; never shown as an error.
- anything else is a bug and is reported as one.
"""


class StrongroomError(Exception):
    """Base of every error Strongroom raises on purpose."""


class UserError(StrongroomError):
    """Something the person can act on; ``str(err)`` is the whole message."""


class Cancelled(StrongroomError):  # noqa: N818 - a state, not a failure
    """The work was cancelled on request."""


# -- reading -----------------------------------------------------------------
class ReadError(UserError):
    """A document could not be read (empty, unsupported, corrupt, locked...)."""


class PasswordRequired(ReadError):
    """A password-protected PDF, read without its password or with a wrong one;
    reading it again with the right one (``password=``) opens it."""


# -- model -------------------------------------------------------------------
class ModelError(UserError):
    """The language model could not be found, verified or loaded."""


# -- vault -------------------------------------------------------------------
class VaultError(UserError):
    """The vault could not be created, opened or written."""


class DiskFull(VaultError):
    """A write was refused: no space left, or a size limit. Nothing committed is lost."""


class WrongKey(VaultError):  # noqa: N818 - reads as a condition
    """The passphrase or key does not open this vault. Nothing was changed."""


class KeyUnavailable(VaultError):  # noqa: N818
    """No usable key: keychain entry missing, or a passphrase is needed."""


class PassphraseRequired(KeyUnavailable):
    """The vault is locked with a passphrase and none was given."""
