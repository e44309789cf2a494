"""Piccolo's configuration: the engine comes from settings (SQLite file by default, PostgreSQL with DATABASE_URL)."""

from piccolo.conf.apps import AppRegistry

from forum.core.db import create_engine
from forum.core.settings import get_settings

DB = create_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["forum.core.piccolo_app"])
