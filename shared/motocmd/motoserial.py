"""moto_server, with DynamoDB answering one request at a time.

moto_server serves each request on its own thread and its DynamoDB backend
takes no lock, so two conditional writes racing on one item can both pass
their condition (seen: two consumers both winning one job's claim). Real
DynamoDB never lets that happen. This runs the same moto application with
DynamoDB requests serialized; SQS (long polls) and Secrets Manager stay
concurrent.

Usage: python3 motoserial.py HOST PORT (scripts/lib.sh), or its text run with
python3 -c SCRIPT HOST PORT (motocmd.Command)
"""

import signal
import sys
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serial(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with lock:
                # The whole answer is made under the lock.
                return list(app(environ, start_response))
        return app(environ, start_response)

    # Stopped by its starter (scripts/test's exit trap): a clean exit, as
    # moto_server's own.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(host, port, serial, threaded=True)


if __name__ == "__main__":
    main()
