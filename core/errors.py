"""Errors a user reads, and the exit codes the CLI returns for them.

Every error here renders as one clear line; the traceback goes to the log.
"""

from __future__ import annotations

# Exit codes, documented in docs/commands.md ("Exit codes").
EXIT_OK = 0
EXIT_FAILURE = 1  # an unexpected error; the log has the traceback
EXIT_USAGE = 2  # wrong arguments (argparse uses 2 as well)
EXIT_CONFIG = 3  # the configuration file is missing, unreadable or invalid
EXIT_PATH = 4  # a folder or file the command needs is missing or unusable
EXIT_PLUGIN = 5  # a plugin could not be loaded or configured
EXIT_LOCKED = 6  # another daemon holds the working folder (its PID is named)
EXIT_INTERRUPTED = 130


class NewsdeskError(Exception):
    """An error whose message is meant for the user, with its exit code."""

    exit_code = EXIT_FAILURE


class ConfigError(NewsdeskError):
    """The configuration is invalid: names the file, the key and what was expected."""

    exit_code = EXIT_CONFIG


class PathError(NewsdeskError):
    """A folder or file the command needs is missing or unusable."""

    exit_code = EXIT_PATH


class PluginError(NewsdeskError):
    """A plugin could not be found, imported or configured."""

    exit_code = EXIT_PLUGIN


class LockedError(NewsdeskError):
    """Another daemon holds the working folder's lock."""

    exit_code = EXIT_LOCKED


class ReadError(Exception):
    """A file cannot be turned into an article (empty, binary, too large, ...).

    Raised by readers; the message names what is wrong, the pipeline adds the file name.
    """
