from .minutes import *  # noqa: F403
from .resources import *  # noqa: F403
