#!/usr/bin/env bash
# OneCall's real telephony stack for development, tests and CI (issue #17, docs/TELEPHONY-SIP.md):
# Kamailio 5.6 (SIP proxy + registrar) and rtpengine 10.5 (userspace media relay), Debian 12 packages, on loopback.
#
#   scripts/telephony.sh install   apt-get the packages (fast no-op when present)
#   scripts/telephony.sh check     kamailio -c on deploy/telephony/kamailio.cfg
#   scripts/telephony.sh start     start rtpengine, the fallback announcement service, then Kamailio in the background,
#                                  each with its own pid file
#   scripts/telephony.sh stop      stop both by their pid files (never by name)
#   scripts/telephony.sh status    print what runs
#   scripts/telephony.sh prompts   generate the prompts rtpengine plays (also done by start)
#
# Settings (environment): SIP_SHARED_SECRET (required by start), ONECALL_URL (http://127.0.0.1:${PORT:-3000}),
# SIP_DOMAIN (onecall.local), SIP_PORT (5060, UDP+TCP), SIP_HTTP_PORT (5066, WebSocket + xhttp), SIP_EVAPI_PORT (5067,
# OneCall's evapi connection: route requests and call events without holding a SIP worker), RTPENGINE_NG_PORT
# (22222), RTP_PORT_MIN/MAX (30000-30999), ONECALL_FALLBACK_URI (empty), SIP_FALLBACK_PORT (5068: the fallback
# announcement service Kamailio asks when OneCall does not answer), SIP_FALLBACK_SPOOL_DIR ($TELEPHONY_RUN_DIR/fallback:
# the callbacks it took, read by OneCall), TELEPHONY_RUN_DIR (.run/telephony),
# SIP_PROMPTS_DIR ($TELEPHONY_RUN_DIR/prompts), KAMAILIO_CHILDREN (4: SIP workers per UDP socket and TCP workers; with OneCall on evapi no worker waits for OneCall, without it each route request holds one).
# Logs: $TELEPHONY_RUN_DIR/kamailio.log and rtpengine.log (RTPENGINE_LOG_LEVEL, 5; 7 shows ICE and DTLS). With CI=true a missing package is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CFG="$ROOT/deploy/telephony/kamailio.cfg"
RUN=${TELEPHONY_RUN_DIR:-$ROOT/.run/telephony}
SIP_PORT=${SIP_PORT:-5060}
SIP_HTTP_PORT=${SIP_HTTP_PORT:-5066}
SIP_EVAPI_PORT=${SIP_EVAPI_PORT:-5067}
NG_PORT=${RTPENGINE_NG_PORT:-22222}
FALLBACK_PORT=${SIP_FALLBACK_PORT:-5068}
RTP_MIN=${RTP_PORT_MIN:-30000}
RTP_MAX=${RTP_PORT_MAX:-30999}
MODDIR=/usr/lib/x86_64-linux-gnu/kamailio/modules
PACKAGES=(kamailio kamailio-utils-modules kamailio-extra-modules kamailio-json-modules kamailio-websocket-modules rtpengine-daemon sip-tester espeak-ng sox)

have_all() {
  command -v kamailio >/dev/null && command -v rtpengine >/dev/null && command -v sipp >/dev/null &&
    [ -f "$MODDIR/http_client.so" ] && [ -f "$MODDIR/jansson.so" ] && [ -f "$MODDIR/websocket.so" ] && [ -f "$MODDIR/evapi.so" ] &&
    command -v espeak-ng >/dev/null && command -v sox >/dev/null
}

# The prompts rtpengine plays (`play media`), generated here from Debian's espeak-ng (Korean voice) and sox, never
# downloaded: 8 kHz mono 16-bit WAV. moh.wav = "잠시만 기다려 주십시오" then a quiet tone melody (music on hold);
# wait-music.wav = the melody alone, four times (what a caller waiting in line hears after OneCall's spoken position).
PROMPTS=${SIP_PROMPTS_DIR:-$RUN/prompts}
prompts() {
  [ -f "$PROMPTS/moh.wav" ] && [ -f "$PROMPTS/wait-music.wav" ] && return 0
  mkdir -p "$PROMPTS"
  local tmp
  tmp=$(mktemp -d)
  espeak-ng -v ko -s 140 -w "$tmp/hold.wav" "잠시만 기다려 주십시오. 상담사가 곧 다시 연결해 드립니다."
  sox "$tmp/hold.wav" -r 8000 -c 1 -b 16 "$tmp/hold8k.wav"
  local notes=(523.25 659.25 783.99 659.25 587.33 698.46 880.00 698.46)
  local parts=()
  for i in "${!notes[@]}"; do
    sox -n -r 8000 -c 1 -b 16 "$tmp/n$i.wav" synth 0.45 sine "${notes[$i]}" vol 0.25 fade q 0.05 0.45 0.1
    parts+=("$tmp/n$i.wav")
  done
  sox "$tmp/hold8k.wav" "${parts[@]}" "${parts[@]}" "$PROMPTS/moh.wav"
  sox "${parts[@]}" "${parts[@]}" "${parts[@]}" "${parts[@]}" "$PROMPTS/wait-music.wav"
  rm -rf "$tmp"
}

install() {
  if have_all; then echo "telephony: packages present"; return 0; fi
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  have_all || { echo "telephony: packages still missing after apt-get" >&2; exit 1; }
  echo "telephony: installed ${PACKAGES[*]}"
}

# Kamailio's settings, passed through env(1) so that a backgrounded `env … kamailio` keeps one pid (env execs).
KENV=(ONECALL_URL="${ONECALL_URL:-http://127.0.0.1:${PORT:-3000}}" ONECALL_SIP_SECRET="${SIP_SHARED_SECRET:-check-only-secret-000000}"
  ONECALL_SIP_DOMAIN="${SIP_DOMAIN:-onecall.local}" ONECALL_FALLBACK_URI="${ONECALL_FALLBACK_URI:-}"
  ONECALL_FALLBACK_URL="http://127.0.0.1:$FALLBACK_PORT")

kargs() {
  echo -f "$CFG" -l "udp:127.0.0.1:$SIP_PORT" -l "tcp:127.0.0.1:$SIP_PORT" -l "tcp:127.0.0.1:$SIP_HTTP_PORT" \
    -A "RTPENGINE_SOCK=\"udp:127.0.0.1:$NG_PORT\"" -A "HTTP_PORT=$SIP_HTTP_PORT" -A "WORKERS=${KAMAILIO_CHILDREN:-4}" \
    -A "EVAPI_ADDR=\"127.0.0.1:$SIP_EVAPI_PORT\""
}

check() {
  command -v kamailio >/dev/null || { echo "telephony: kamailio is not installed (scripts/telephony.sh install)" >&2; exit 1; }
  # shellcheck disable=SC2046
  env "${KENV[@]}" kamailio -c $(kargs) >"${TMPDIR:-/tmp}/onecall-kamailio-check.log" 2>&1 ||
    { cat "${TMPDIR:-/tmp}/onecall-kamailio-check.log" >&2; echo "telephony: kamailio -c failed" >&2; exit 1; }
  echo "telephony: kamailio -c ok ($CFG)"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_port() { # proto port [tries of 50 ms: 100]
  for _ in $(seq 1 "${3:-100}"); do
    if ss -lnH "$([ "$1" = udp ] && echo -u || echo -t)" "sport = :$2" 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.05
  done
  return 1
}

start() {
  have_all || { echo "telephony: packages missing (scripts/telephony.sh install)" >&2; exit 1; }
  [ -n "${SIP_SHARED_SECRET:-}" ] || { echo "telephony: SIP_SHARED_SECRET is not set" >&2; exit 1; }
  mkdir -p "$RUN/recordings"
  prompts
  if ! alive "$RUN/rtpengine.pid"; then
    rtpengine --config-file=none --foreground --log-stderr --log-level=${RTPENGINE_LOG_LEVEL:-5} --interface=127.0.0.1 \
      --listen-ng="127.0.0.1:$NG_PORT" --port-min="$RTP_MIN" --port-max="$RTP_MAX" --table=-1 --delete-delay=0 \
      --recording-dir="$RUN/recordings" --recording-method=pcap >"$RUN/rtpengine.log" 2>&1 &
    echo $! >"$RUN/rtpengine.pid"
    wait_port udp "$NG_PORT" || { tail -20 "$RUN/rtpengine.log" >&2; echo "telephony: rtpengine did not start" >&2; exit 1; }
  fi
  if ! alive "$RUN/fallback.pid"; then
    # Its own process (Node + tsx, OneCall's code): it must live when OneCall does not. One pid: node itself.
    env SIP_SHARED_SECRET="$SIP_SHARED_SECRET" SIP_FALLBACK_PORT="$FALLBACK_PORT" SIP_KAMAILIO_HTTP_URL="http://127.0.0.1:$SIP_HTTP_PORT" \
      SIP_RTPENGINE_NG="127.0.0.1:$NG_PORT" SIP_PROMPTS_DIR="$PROMPTS" SIP_FALLBACK_SPOOL_DIR="${SIP_FALLBACK_SPOOL_DIR:-$RUN/fallback}" \
      node --import tsx "$ROOT/server/cli/sip-fallback.ts" >"$RUN/fallback.log" 2>&1 &
    echo $! >"$RUN/fallback.pid"
    wait_port tcp "$FALLBACK_PORT" 600 || { tail -20 "$RUN/fallback.log" >&2; echo "telephony: the fallback service did not start" >&2; exit 1; }
  fi
  if ! alive "$RUN/kamailio.pid"; then
    # -DD: no daemon, so $! is Kamailio's main process (stopping it stops its children).
    # shellcheck disable=SC2046
    env "${KENV[@]}" kamailio -DD -E -m 128 -M 16 $(kargs) >"$RUN/kamailio.log" 2>&1 &
    echo $! >"$RUN/kamailio.pid"
    wait_port udp "$SIP_PORT" && wait_port tcp "$SIP_HTTP_PORT" && wait_port tcp "$SIP_EVAPI_PORT" ||
      { tail -30 "$RUN/kamailio.log" >&2; echo "telephony: kamailio did not start" >&2; exit 1; }
  fi
  echo "telephony: kamailio sip:127.0.0.1:$SIP_PORT ws://127.0.0.1:$SIP_HTTP_PORT evapi 127.0.0.1:$SIP_EVAPI_PORT (pid $(cat "$RUN/kamailio.pid")), rtpengine ng 127.0.0.1:$NG_PORT (pid $(cat "$RUN/rtpengine.pid")), fallback http://127.0.0.1:$FALLBACK_PORT (pid $(cat "$RUN/fallback.pid"))"
}

stop_one() {
  local pidfile="$RUN/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  stop_one kamailio
  stop_one fallback
  stop_one rtpengine
  echo "telephony: stopped"
}

status() {
  for p in kamailio rtpengine fallback; do
    if alive "$RUN/$p.pid"; then echo "$p: running (pid $(cat "$RUN/$p.pid"))"; else echo "$p: stopped"; fi
  done
}

case "${1:-}" in
  install) install ;;
  check) check ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  prompts) prompts ;;
  *) echo "usage: $0 install|check|start|stop|status" >&2; exit 2 ;;
esac
