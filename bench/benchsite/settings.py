"""The production settings plus one bench-only URL (the minimal insert view the answer POST is compared with)."""

from hwallyu.settings import *  # noqa: F403

ROOT_URLCONF = "benchsite.urls"
