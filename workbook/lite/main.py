from xlgoals.lite import *  # noqa: F403
