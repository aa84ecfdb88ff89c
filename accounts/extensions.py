"""What the apps above tell about a person's account (``sillon.extensions``).

Accounts is the lowest app and imports none of the others; each describes the personal
data it holds by contributing, in its own ``extensions.py``, to:

* ``personal_data``: receivers take ``user`` and return ``(section, data)``, a
  JSON-serialisable section of "download my data" (sections come in alphabetical order);
* ``deletion_blockers``: receivers take ``user`` and return the French reasons why the
  account cannot be deleted yet (for instance: the person is the last coordinator of an
  organisation), an empty list when none;
* ``pending_invitations``: receivers take ``email`` (an address with no account that
  asked for a login code) and re-send the invitations still waiting for it, returning
  ``True`` if they had one (allauth's « Compte inconnu » e-mail is then not sent).
"""

from sillon.extensions import ExtensionPoint

personal_data = ExtensionPoint(
    "accounts.personal_data",
    "A section of « Télécharger mes données »: (user) -> (section, data).",
)

deletion_blockers = ExtensionPoint(
    "accounts.deletion_blockers",
    "Why an account cannot be deleted yet: (user) -> [French reason, …].",
    many=True,
)

pending_invitations = ExtensionPoint(
    "accounts.pending_invitations",
    "Re-send the invitations waiting for an address with no account: (email) -> bool.",
)
