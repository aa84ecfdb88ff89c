"""Writes of ressources: the library (``library``) and the minutes (``minutes``)."""

from .library import (
    copy_session_resources,
    create_resource,
    create_tag,
    delete_resource,
    delete_tag,
    rename_tag,
    store_extracted_text,
    update_resource,
)

__all__ = [
    "copy_session_resources",
    "create_resource",
    "create_tag",
    "delete_resource",
    "delete_tag",
    "rename_tag",
    "store_extracted_text",
    "update_resource",
]
