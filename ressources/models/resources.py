"""The resources library: files and links, their tags and visibility."""
