"""The public registries' actors (RNA, SIRENE), imported by command and counted by territory."""
