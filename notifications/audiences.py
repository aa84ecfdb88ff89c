"""Whose e-mail addresses are an organisation's people, for its coordinators' messages
page (the « adresses en échec » panel): the addresses it wrote to and its members'
(``notifications.views.messages``), and what the apps above contribute here (parcours:
the members of the organisation's teams)."""

from sillon.extensions import ExtensionPoint

message_audiences = ExtensionPoint(
    "notifications.message_audiences",
    "More people of an organisation whose bounced addresses its coordinators see: "
    "(organisation) -> a queryset of lower-cased e-mail addresses, values('address') "
    "(used as a subquery: the page stays one query), or None.",
)
