#!/usr/bin/env bash
# Start or stop the private PostgreSQL cluster of this checkout.
#   scripts/pg.sh start dev|test   -> prints the DATABASE_URL to use
#   scripts/pg.sh stop  dev|test
#   scripts/pg.sh url   dev|test   -> prints the DATABASE_URL, starting nothing
# The data directory lives under /tmp (PG_ROOT) because the postgres user, which
# runs the server when we are root, cannot enter /root or an unknown CI path.
# Each checkout gets its own directory and port, so two clones never collide.
set -eu

action=${1:?usage: pg.sh start|stop dev|test}
flavour=${2:?usage: pg.sh start|stop dev|test}
here=$(cd "$(dirname "$0")/.." && pwd)
key=$(printf '%s' "$here" | md5sum | cut -c1-6)
offset=$(( 0x$key % 500 * 2 ))
root=${PG_ROOT:-/tmp}
pgdata="$root/nastavnik-pg-$key-$flavour"
case "$flavour" in
  dev)  port=${PG_PORT:-$(( 55000 + offset ))}; extra="" ;;
  # A throwaway test cluster may skip durability; never do this for dev data.
  test) port=${PG_PORT:-$(( 55001 + offset ))}; extra="-c fsync=off -c full_page_writes=off -c synchronous_commit=off" ;;
  *) echo "unknown flavour: $flavour" >&2; exit 2 ;;
esac
if [ "$action" = url ]; then
  echo "postgres://postgres@127.0.0.1:$port/nastavnik"
  exit 0
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (run 'make system')" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    # ICU ru-RU collation sorts «ё» and mixed case the Russian way.
    as_pg "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 --locale-provider=icu --icu-locale=ru-RU >/dev/null
  fi
  if ! as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    if ! as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start \
        -o "-h 127.0.0.1 -p $port -k $pgdata $extra" >/dev/null; then
      echo "PostgreSQL did not start (port $port taken? set PG_PORT); its log:" >&2
      tail -n 20 "$pgdata/server.log" >&2
      exit 1
    fi
  fi
  if ! as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "select 1 from pg_database where datname = 'nastavnik'" | grep -q 1; then
    as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres nastavnik
  fi
  echo "postgres://postgres@127.0.0.1:$port/nastavnik"
  ;;
stop)
  if [ -s "$pgdata/PG_VERSION" ] && as_pg "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    echo "stopped $pgdata"
  fi
  ;;
*) echo "unknown action: $action" >&2; exit 2 ;;
esac
