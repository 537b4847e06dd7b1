from kitab.core.env import env_bool

from .base import *

SESSION_COOKIE_SECURE = env_bool("KITAB_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
