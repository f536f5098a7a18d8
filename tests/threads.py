"""Running work in several threads at the same moment, each on its own database connection."""

import threading

from django.db import connection


def run_at_once(work, arguments) -> list[Exception]:
    """Run ``work(argument)`` in one thread per argument, all released together."""
    barrier = threading.Barrier(len(arguments))
    errors: list[Exception] = []

    def run(argument) -> None:
        try:
            barrier.wait()
            work(argument)
        except Exception as error:  # every failure is reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
