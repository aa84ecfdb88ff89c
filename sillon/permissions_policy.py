"""The ``Permissions-Policy`` header, on every response.

Sillon uses none of the browser's powerful features: no camera, no microphone, no
location, no payment, no device access. The phone signature page does not use the camera
either: a QR code is scanned by the phone's own camera app, which opens the page. The
policy is ``settings.PERMISSIONS_POLICY``, ``{feature: [allowed origins]}``; an empty list
turns the feature off for the page and every frame in it.
"""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
