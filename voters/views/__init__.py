from .meetings import *  # noqa: F401,F403
from .petitions import *  # noqa: F401,F403
