"""Where documents can be asked for, on the pages of the apps below (being written)."""
