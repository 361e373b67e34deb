# Shared by scripts/test and scripts/dev: checks for the tools crmflow needs
# and starts moto_server on a free loopback port.

require_moto() {
  if ! command -v moto_server >/dev/null 2>&1; then
    echo 'moto_server not found: it serves DynamoDB, SQS and Secrets Manager locally.' >&2
    echo 'Install it with: pip install "moto[server]"' >&2
    exit 1
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_moto sets MOTO_PID and CRMFLOW_MOTO_ENDPOINT and waits until moto answers.
# It runs moto through shared/motocmd/motoserial.py (DynamoDB requests one at a
# time, atomic like DynamoDB's own conditional writes) where the python3 on
# PATH has moto, else moto_server as it is.
start_moto() {
  local port
  port=$(free_port)
  if python3 -c 'import moto.moto_server.werkzeug_app' >/dev/null 2>&1; then
    python3 "$(dirname "${BASH_SOURCE[0]}")/../shared/motocmd/motoserial.py" 127.0.0.1 "$port" >"${MOTO_LOG:-/dev/null}" 2>&1 &
  else
    moto_server -H 127.0.0.1 -p "$port" >"${MOTO_LOG:-/dev/null}" 2>&1 &
  fi
  MOTO_PID=$!
  export CRMFLOW_MOTO_ENDPOINT="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fs "$CRMFLOW_MOTO_ENDPOINT/moto-api/" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  echo "moto_server did not start on port $port" >&2
  return 1
}

# ensure_chromium installs Debian's chromium for the agent page's browser
# test when it is missing and we may (root with apt-get). Otherwise the test
# skips and says how to install it; nothing else depends on it.
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "${CRMFLOW_CHROMIUM:-}" ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install chromium (the agent page's browser test)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
      echo "chromium could not be installed: the browser test will skip" >&2
    fi
  else
    echo "chromium not found and not root: the browser test skips (apt-get install -y chromium)" >&2
  fi
}
