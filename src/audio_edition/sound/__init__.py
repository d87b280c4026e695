"""The sound identity of a show: the default kit (generated), a show's own files, meters."""
