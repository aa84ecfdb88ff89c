"""A panel that an app above contributes to a page of the apps below it: a template and
its context (the page includes it ``with section=section.context``). The pages that take
panels declare them as extension points (``organisations.extensions.home_panels``,
``parcours.extensions.session_panels``…)."""

from dataclasses import dataclass


@dataclass
class HomeSection:
    template: str
    context: dict
