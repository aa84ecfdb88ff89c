"""Placeholder: helper C replaces this module."""

from django.http import Http404


def team_invitation_accept(request, token):
    raise Http404
