#!/usr/bin/env python3
"""What a test run must leave alone (SPEC §11): every database, vhost and queue that was there before it, and every
ledger row in them. `note FILE` writes down what is there now; `check FILE` fails, naming it, if any of it is gone
or a ledger lost rows. The test run's own objects (metering_test_*, metering_template_*, metering-test-*) and the
smoke test's own system (named by --own-database/--own-vhost) are not bystanders.

  bystanders.py note FILE [--own-database NAME] [--own-vhost NAME]
  bystanders.py check FILE
"""
import base64, json, os, re, subprocess, sys, urllib.parse, urllib.request

MANAGEMENT = os.environ.get("METERING_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672/")
OURS_DB = re.compile(r"^metering_(test|template)_")
OURS_VHOST = re.compile(r"^metering-test-")


def psql(database, sql):
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "metering", "-d", database, "-Atc", sql],
        env={**os.environ, "PGPASSWORD": "metering"}, capture_output=True, text=True)
    return result.stdout.split() if result.returncode == 0 else None


def management(path):
    request = urllib.request.Request(MANAGEMENT + path)
    request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def look(own_databases=(), own_vhosts=()):
    databases = {}
    for name in psql("postgres", "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'") or []:
        if OURS_DB.match(name) or name in own_databases:
            continue
        has_ledger = psql(name, "SELECT to_regclass('ledger_entries') IS NOT NULL")
        rows = psql(name, "SELECT count(*) FROM ledger_entries") if has_ledger == ["t"] else None
        databases[name] = int(rows[0]) if rows else None
    vhosts = [v["name"] for v in management("api/vhosts") if not OURS_VHOST.match(v["name"]) and v["name"] not in own_vhosts]
    # A server-named exclusive or auto-delete queue lives and dies with its client's connection (a broker restart
    # gives the client a new one): not data that anyone can lose.
    queues = [f'{q["vhost"]}/{q["name"]}' for q in management("api/queues")
              if q["vhost"] in vhosts and not q.get("exclusive") and not q.get("auto_delete")]
    return {"databases": databases, "vhosts": vhosts, "queues": queues}


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "note":
        args = sys.argv[3:]
        own_db = [args[i + 1] for i, a in enumerate(args) if a == "--own-database"]
        own_vhost = [args[i + 1] for i, a in enumerate(args) if a == "--own-vhost"]
        seen = look(own_db, own_vhost)
        seen["own"] = {"databases": own_db, "vhosts": own_vhost}
        with open(path, "w") as file:
            json.dump(seen, file)
        rows = sum(r or 0 for r in seen["databases"].values())
        print(f"bystanders: {len(seen['databases'])} databases ({rows} ledger rows), {len(seen['vhosts'])} vhosts, {len(seen['queues'])} queues to leave alone")
        return 0
    with open(path) as file:
        before = json.load(file)
    now = look(before["own"]["databases"], before["own"]["vhosts"])
    problems = []
    for name, rows in before["databases"].items():
        if name not in now["databases"]:
            problems.append(f"database {name} is gone")
        elif rows is not None and (now["databases"][name] or 0) < rows:
            problems.append(f"database {name} lost ledger rows: {rows} before, {now['databases'][name]} after")
    problems += [f"vhost {v} is gone" for v in before["vhosts"] if v not in now["vhosts"]]
    problems += [f"queue {q} is gone" for q in before["queues"] if q not in now["queues"]]
    for problem in problems:
        print(f"bystanders: {problem}")
    print("bystanders: " + ("touched" if problems else "all left alone"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
