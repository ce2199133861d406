"""The first module the workers' fork server imports (see ``newsdesk.workers``): Ctrl-C
in a terminal reaches the whole process group, the fork server too, which would print
a KeyboardInterrupt traceback if it came while the server still imports the plugins'
preload modules (seconds). The server ignores SIGINT from here on, as multiprocessing
makes it do once they are imported; the workers it forks inherit that (the daemon
stops its workers itself). The server also ends when the daemon is gone (killed alone),
see ``newsdesk.orphans``."""

import signal

from newsdesk.orphans import end_with_parent

signal.signal(signal.SIGINT, signal.SIG_IGN)
end_with_parent()
