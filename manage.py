#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only read code and write files: they sign nothing, so they may
# run on a developer's or CI's machine without a SECRET_KEY (settings then use
# a throwaway one). Servers, workers and every other command still refuse to
# start without it.
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "translations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ["LIANCHUANG_KEYLESS_COMMAND"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
