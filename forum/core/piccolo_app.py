import os

from piccolo.conf.apps import AppConfig

from forum.core.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="forum",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
