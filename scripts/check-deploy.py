#!/usr/bin/env python3
"""Static checks of the deployment files (no Docker engine needed).

    scripts/check-deploy.py [path/to/jobpulse]

Checks docker-compose.yml, Dockerfile, .env.example and the Grafana provisioning against each
other, against the jobpulse binary's --help texts, and against scripts/setup.sh and
scripts/test.sh. Prints one line per check and `check-deploy: N passed, M failed`; exits 1 when a
check failed, 2 when it could not run at all.
"""

import json
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

try:
    import yaml
except ImportError:
    print("check-deploy: PyYAML is missing, installing it with pip", file=sys.stderr)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"]
    if subprocess.run(pip).returncode != 0:
        # Debian's Python refuses plain pip installs (PEP 668).
        subprocess.run(pip + ["--break-system-packages"], check=True)
    import yaml

COMPOSE = "docker-compose.yml"
DOCKERFILE = "Dockerfile"
ENV_EXAMPLE = ".env.example"
DATASOURCE = "deploy/grafana/provisioning/datasources/jobpulse.yaml"
DASHBOARD_PROVIDER = "deploy/grafana/provisioning/dashboards/jobpulse.yaml"
DASHBOARD = "deploy/grafana/dashboards/jobpulse.json"
BUILD_SCRIPTS = ["scripts/setup.sh", "scripts/test.sh"]

GRAFANA_PORT = 3000
DATASOURCE_UID = "jobpulse"
# Services that must keep their data in a named volume, and where.
STATEFUL = {"cassandra": "/var/lib/cassandra", "mysql": "/var/lib/mysql", "grafana": "/var/lib/grafana"}
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY", re.I)

FILTER = ("($publisher = -1 OR e.publisher_id = $publisher) AND "
          "($campaign = -1 OR e.campaign_id = $campaign)")
# A read of the hour totals (sums over every publisher and campaign) counts only while both
# variables are "All"; the read it stands in for then says it does not.
ALL_VALUES = "($publisher = -1 AND $campaign = -1)"
NOT_ALL_VALUES = f"NOT {ALL_VALUES}"
# The dashboard's panels: title -> (type, format, result columns, API counterpart).
PANELS = {
    "Jobs with activity": ("stat", "table", ["value"], "/api/summary"),
    "Clicks": ("stat", "table", ["value"], "/api/summary"),
    "Conversions": ("stat", "table", ["value"], "/api/summary"),
    "Qualified applications": ("stat", "table", ["value"], "/api/summary"),
    "Disqualified applications": ("stat", "table", ["value"], "/api/summary"),
    "Qualified share": ("gauge", "table", ["value"], "/api/summary"),
    "Disqualified share": ("gauge", "table", ["value"], "/api/summary"),
    "Top 10 jobs by clicks": ("table", "table",
                              ["job_id", "title", "company_id", "clicks", "spend", "conversions"], "/api/top-jobs"),
    "Clicks and spend per hour": ("timeseries", "time_series", ["time", "clicks", "spend"], "/api/hourly"),
    "Cost per click and conversion rate by publisher": (
        "table", "table", ["publisher_id", "clicks", "spend", "cpc", "conversions", "conversion_rate"], "/api/publishers"),
    "Cost per click and conversion rate by campaign": (
        "table", "table", ["campaign_id", "clicks", "spend", "cpc", "conversions", "conversion_rate"], "/api/campaigns"),
}
VARIABLES = {"publisher": "publisher_id", "campaign": "campaign_id"}
# The time macros a range panel may use: the range's filter, and its ends where a panel splits
# the range into whole UTC days (read from a day rollup) and the hours at either end.
TIME_MACROS = {"$__timeFilter(e.hour_start)", "$__timeFrom()", "$__timeTo()"}
# The budget panels: each budget's current period at the database's UTC time, whatever the time
# range; they follow the campaign variable (a campaign's budget and its jobs') only.
BUDGET_PANELS = {
    "Budget pacing": ("table", "table", ["scope", "scope_id", "period", "amount", "spent", "remaining",
                                         "expected_spend", "pace_percent", "status"], "/api/pacing"),
    "Budget spent this period": ("bargauge", "table", ["budget", "spent_share"], "/api/pacing"),
}
# The alerts panel: the alerts' state as the warehouse holds it, whatever the range and variables.
ALERT_PANELS = {
    "Alerts": ("table", "table", ["alert_key", "state", "rule", "scope", "scope_id", "since", "value", "threshold",
                                  "message"], "/api/alerts"),
}
BUDGET_FILTER = ("($campaign = -1 OR (b.scope = 'campaign' AND b.scope_id = $campaign) "
                 "OR (b.scope = 'job' AND j.campaign_id = $campaign))")
# The Grafana Foundation SDK whose types the dashboard must decode with: generated for Grafana
# 11.6.x, the newest release line it is published for (the stack runs Grafana 12.2, which reads
# the same dashboard JSON).
GRAFANA_SDK = ("grafana-foundation-sdk", "1769699379!11.6.0")


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def exists(path):
    return os.path.exists(os.path.join(ROOT, path))


# --- Parsing helpers -----------------------------------------------------------------------------

def logical_lines(text):
    """Shell or Dockerfile lines with backslash continuations joined and comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        if current.strip():
            lines.append(current.strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def dockerfile_stages():
    """[(image, stage name or None, [instruction lines])] in file order."""
    stages = []
    for line in logical_lines(read(DOCKERFILE)):
        keyword, _, rest = line.partition(" ")
        if keyword.upper() == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append((words[0], name, []))
        elif stages:
            stages[-1][2].append(line)
    return stages


def shell_commands(line):
    """The simple commands of a shell line, each as a list of words (quotes removed)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|(){}<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = line.split()
    commands, current, skip = [], [], False
    for token in tokens:
        if skip:
            skip = False
            continue
        if token and all(c in "<>&" for c in token) and any(c in "<>" for c in token):
            skip = True  # a redirection, and the file or descriptor it names
            continue
        if token and all(c in ";&|(){}" for c in token):
            if current:
                commands.append(current)
            current = []
        else:
            current.append(token)
    if current:
        commands.append(current)
    return commands


def apt_packages(command_line):
    """Package names an `apt-get install` in this shell line installs."""
    packages = []
    for words in shell_commands(command_line):
        while words and "=" in words[0] and not words[0].startswith("-"):
            words = words[1:]  # VAR=value prefixes
        if words[:1] in (["sudo"], ["$sudo"]):
            words = words[1:]
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
            after = words[words.index("install") + 1:]
            packages += [w for w in after if not w.startswith("-") and "$" not in w]
    return packages


def image_is_pinned(reference):
    """(ok, reason) for an image reference: an explicit version tag, not `latest`."""
    if reference == "scratch":
        return True, ""
    if "@sha256:" in reference:
        return True, ""
    name, _, tag = reference.rpartition(":")
    if not name or "/" in tag:
        return False, f"{reference} has no tag"
    if tag == "latest":
        return False, f"{reference} uses latest"
    if not re.search(r"\d", tag):
        return False, f"{reference} has no version in its tag"
    return True, ""


def interpolate(text, env):
    """Compose-style ${VAR}, ${VAR:-default} and $VAR substitution; $$ stays a literal $."""
    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(3)
        default = match.group(2)
        value = env.get(name, "")
        if default is not None and value == "":
            value = default.lstrip(":-")
        return value
    return re.sub(r"\$\$|\$\{(\w+)((?::?-)[^}]*)?\}|\$(\w+)", replace, text)


def compose_variables(text):
    names = set()
    for match in re.finditer(r"\$\$|\$\{(\w+)[^}]*\}|\$(\w+)", text):
        if match.group(0) != "$$":
            names.add(match.group(1) or match.group(2))
    return names


def env_example():
    values = {}
    for line in read(ENV_EXAMPLE).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            if sep:
                values[key.strip()] = value.strip()
    return values


def command_words(command):
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return [str(word) for word in command]


def environment_of(service):
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def options_in(words):
    return [word.split("=", 1)[0] for word in words if word.startswith("--")]


# --- State shared by the checks ------------------------------------------------------------------

class Context:
    def __init__(self, binary):
        self.binary = binary
        self.help_cache = {}
        self._compose = None

    @property
    def compose(self):
        if self._compose is None:
            self._compose = yaml.safe_load(read(COMPOSE))
        return self._compose

    @property
    def services(self):
        return self.compose.get("services") or {}

    def help(self, subcommand):
        """`jobpulse <subcommand> --help` (or the top-level help for None)."""
        if subcommand not in self.help_cache:
            require(self.binary and os.access(self.binary, os.X_OK),
                    f"the jobpulse binary {self.binary!r} is missing or not executable "
                    "(pass it as the first argument, e.g. .build/debug/jobpulse)")
            arguments = [self.binary] + ([subcommand] if subcommand else []) + ["--help"]
            result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
            require(result.returncode == 0,
                    f"`{' '.join(arguments)}` failed ({result.returncode}): {result.stderr.strip()[:300]}")
            self.help_cache[subcommand] = result.stdout
        return self.help_cache[subcommand]

    def jobpulse_services(self):
        """Services that run the jobpulse binary: those whose image is built from this repository's
        Dockerfile, but for the Spark nodes (target spark-node), which run Spark's own programs."""
        def target(service):
            build = service.get("build")
            return build.get("target") if isinstance(build, dict) else None
        return {name: service for name, service in self.services.items()
                if "build" in service and target(service) != "spark-node"}

    def runtime_environment(self):
        """ENV of the Dockerfile's default (last) stage."""
        environment = {}
        for line in dockerfile_stages()[-1][2]:
            keyword, _, rest = line.partition(" ")
            if keyword.upper() == "ENV":
                for word in shlex.split(rest):
                    if "=" in word:
                        key, value = word.split("=", 1)
                        environment[key] = value
        return environment


# --- Checks --------------------------------------------------------------------------------------

def check_compose_parses(ctx):
    require(isinstance(ctx.compose, dict), f"{COMPOSE} is not a YAML mapping")
    missing = {"cassandra", "mysql", "migrate", "collector", "etl", "grafana",
               "spark-master", "spark-worker", "etl-spark"} - set(ctx.services)
    require(not missing, f"{COMPOSE} lacks the services {sorted(missing)}")


def check_service_wiring(ctx):
    services = ctx.services
    problems = []

    def depends(name, on, condition):
        value = (services[name].get("depends_on") or {})
        value = {d: {"condition": "service_started"} for d in value} if isinstance(value, list) else value
        if (value.get(on) or {}).get("condition") != condition:
            problems.append(f"{name} does not wait for {on} to be {condition}")

    depends("migrate", "cassandra", "service_healthy")
    depends("migrate", "mysql", "service_healthy")
    for name in ("collector", "etl", "etl-spark"):
        depends(name, "migrate", "service_completed_successfully")
    depends("grafana", "mysql", "service_healthy")
    if str(services["migrate"].get("restart")) != "no":
        problems.append("migrate is one-shot and needs restart: \"no\"")
    if "--no-etl" not in command_words(services["collector"].get("command")):
        problems.append("collector must run serve --no-etl (the ETL runs in its own service)")
    for name, profile in (("etl", "swift-etl"), ("spark-master", "spark"), ("spark-worker", "spark"), ("etl-spark", "spark")):
        if services[name].get("profiles") != [profile]:
            problems.append(f"{name} should be in the profile {profile} alone")
    enabled = env_example().get("COMPOSE_PROFILES", "").split(",")
    if "swift-etl" not in enabled or "spark" in enabled:
        problems.append(f"{ENV_EXAMPLE} should enable exactly one ETL by default (COMPOSE_PROFILES=swift-etl)")
    for name in ("cassandra", "mysql"):
        if not (services[name].get("healthcheck") or {}).get("test"):
            problems.append(f"{name} has no healthcheck")
    require(not problems, "; ".join(problems))


def check_mounts_and_builds_exist(ctx):
    problems = []
    stage_names = {name for _, name, _ in dockerfile_stages() if name}
    for name, service in ctx.services.items():
        build = service.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if not os.path.isdir(os.path.join(ROOT, context)):
                problems.append(f"{name}: build context {context} does not exist")
            elif not exists(os.path.join(context, dockerfile)):
                problems.append(f"{name}: {os.path.join(context, dockerfile)} does not exist")
            target = None if isinstance(build, str) else build.get("target")
            if target and target not in stage_names:
                problems.append(f"{name}: build target {target} is no stage of {DOCKERFILE}")
        for volume in service.get("volumes") or []:
            if isinstance(volume, dict):
                source = volume.get("source", "") if volume.get("type") == "bind" else ""
            else:
                source = volume.split(":", 1)[0]
            if source.startswith((".", "/")) and not exists(source):
                problems.append(f"{name}: mounted path {source} does not exist")
    for _, stage, lines in dockerfile_stages():
        for line in lines:
            keyword, _, rest = line.partition(" ")
            if keyword.upper() not in ("COPY", "ADD") or "--from=" in rest:
                continue
            words = json.loads(rest) if rest.strip().startswith("[") else rest.split()
            for source in [w for w in words if not w.startswith("--")][:-1]:
                # A wildcard may match nothing (an optional file); a plain path must exist.
                if not any(c in source for c in "*?[") and not exists(source):
                    problems.append(f"{DOCKERFILE} ({stage}): {keyword} source {source} does not exist")
    require(not problems, "; ".join(problems))


def check_named_volumes(ctx):
    declared = set(ctx.compose.get("volumes") or {})
    problems = []
    for name, service in ctx.services.items():
        for volume in service.get("volumes") or []:
            source = volume.get("source", "") if isinstance(volume, dict) else volume.split(":", 1)[0]
            if source and not source.startswith((".", "/", "$")) and source not in declared:
                problems.append(f"{name}: volume {source} is not declared under volumes:")
    for name, path in STATEFUL.items():
        mounts = [v if isinstance(v, str) else f"{v.get('source')}:{v.get('target')}"
                  for v in ctx.services.get(name, {}).get("volumes") or []]
        if not any(m.split(":")[0] in declared and m.split(":")[1] == path for m in mounts):
            problems.append(f"{name} keeps {path} in no named volume")
    require(not problems, "; ".join(problems))


def check_images_pinned(ctx):
    env = env_example()
    problems = []
    for name, service in ctx.services.items():
        image = service.get("image")
        if image is None:
            require("build" in service, f"{name} has neither image nor build")
            continue
        ok, reason = image_is_pinned(interpolate(str(image), env))
        if not ok:
            problems.append(f"{name}: {reason}")
    stages = set()
    for image, stage, _ in dockerfile_stages():
        if image not in stages:
            ok, reason = image_is_pinned(image)
            if not ok:
                problems.append(f"{DOCKERFILE} FROM {reason}")
        if stage:
            stages.add(stage)
    require(not problems, "; ".join(problems))


def check_jobpulse_options(ctx):
    problems = []
    commands = [(f"service {name}", command_words(service.get("command")))
                for name, service in ctx.jobpulse_services().items()]
    for _, _, lines in dockerfile_stages():
        for line in lines:
            keyword, _, rest = line.partition(" ")
            if keyword.upper() == "CMD" and rest.strip().startswith("["):
                commands.append((f"{DOCKERFILE} CMD {rest.strip()}", json.loads(rest)))
    for where, words in commands:
        require(words, f"{where} has no command")
        subcommand, options = words[0], options_in(words[1:])
        text = ctx.help(subcommand)
        for option in options:
            if not re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text):
                problems.append(f"{where}: `jobpulse {subcommand}` has no option {option}")
    require(not problems, "; ".join(problems))


def check_jobpulse_environment(ctx):
    problems = []
    top = ctx.help(None)
    for name, service in ctx.jobpulse_services().items():
        subcommand = command_words(service.get("command"))[:1] or ["serve"]
        text = top + ctx.help(subcommand[0])
        for key in environment_of(service):
            if key.startswith("JOBPULSE_") and not re.search(r"\b" + key + r"\b", text):
                problems.append(f"{name}: {key} is not a variable of `jobpulse {subcommand[0]}`")
    serve = top + ctx.help("serve")
    for key in ctx.runtime_environment():
        if key.startswith("JOBPULSE_") and not re.search(r"\b" + key + r"\b", serve):
            problems.append(f"{DOCKERFILE}: ENV {key} is not a variable of `jobpulse serve`")
    require(not problems, "; ".join(problems))


def yaml_strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from yaml_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from yaml_strings(value)
    elif isinstance(node, str):
        yield node


def check_grafana_environment(ctx):
    datasource_variables = set()
    for value in yaml_strings(yaml.safe_load(read(DATASOURCE))):
        datasource_variables |= compose_variables(value)
    grafana_environment = set(environment_of(ctx.services["grafana"]))
    missing = sorted(datasource_variables - grafana_environment)
    require(not missing, f"grafana does not set {missing}, which {DATASOURCE} reads")
    unused = sorted(k for k in grafana_environment - datasource_variables if k.startswith("JOBPULSE_"))
    require(not unused, f"grafana sets {unused}, which {DATASOURCE} never reads")


def published_container_ports(service):
    ports = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.append(int(port["target"]))
        else:
            ports.append(int(str(port).split("/")[0].split(":")[-1]))
    return ports


def check_ports(ctx):
    env = env_example()
    runtime = ctx.runtime_environment()
    collector = ctx.services["collector"]
    port = environment_of(collector).get("JOBPULSE_PORT") or runtime.get("JOBPULSE_PORT")
    require(port, "JOBPULSE_PORT is set neither on the collector nor in the Dockerfile")
    port = int(interpolate(port, env))
    require(runtime.get("JOBPULSE_PORT") in (None, str(port)),
            f"the Dockerfile's JOBPULSE_PORT {runtime.get('JOBPULSE_PORT')} differs from the collector's {port}")
    exposed = [int(p.split("/")[0]) for _, _, lines in dockerfile_stages()[-1:] for line in lines
               if line.upper().startswith("EXPOSE ") for p in line.split()[1:]]
    require(port in exposed, f"the Dockerfile exposes {exposed}, not JOBPULSE_PORT {port}")
    require(published_container_ports(collector) == [port],
            f"collector publishes {published_container_ports(collector)}, expected [{port}] (JOBPULSE_PORT)")
    grafana = published_container_ports(ctx.services["grafana"])
    require(grafana == [GRAFANA_PORT], f"grafana publishes {grafana}, expected [{GRAFANA_PORT}]")
    for name, service in ctx.services.items():
        for target in published_container_ports(service):
            for other, other_service in ctx.services.items():
                if other < name and target in published_container_ports(other_service):
                    host = {str(p).split(":")[0] for p in service.get("ports")} & \
                           {str(p).split(":")[0] for p in other_service.get("ports")}
                    require(not host, f"{name} and {other} publish the same host port {sorted(host)}")


def check_variables_defined(ctx):
    defined = env_example()
    used = compose_variables(read(COMPOSE))
    missing = sorted(used - set(defined))
    require(not missing, f"{ENV_EXAMPLE} does not define {missing}")
    require(".env" in read(".gitignore").split(), ".env is not listed in .gitignore")
    require(".env" in read(".dockerignore").split(), ".env is not listed in .dockerignore")


def check_no_literal_secrets(ctx):
    problems = []
    for name, service in ctx.services.items():
        for key, value in environment_of(service).items():
            if SECRET_KEY.search(key) and value and "${" not in value:
                problems.append(f"{name}: {key} is a literal, not a ${{VAR}} from .env")
    for anchor, value in (ctx.compose.get("x-storage") or {}).items():
        if re.search(r"//[^/@]*:[^/@]*@", str(value)) and "${" not in str(value).split("@")[0]:
            problems.append(f"x-storage.{anchor} holds a literal password")
    for key, value in env_example().items():
        if SECRET_KEY.search(key) and value and value != "change-me":
            problems.append(f"{ENV_EXAMPLE}: {key} should be the placeholder change-me")
    require(not problems, "; ".join(problems))


def script_apt_packages():
    packages = set()
    for script in BUILD_SCRIPTS:
        for line in logical_lines(read(script)):
            packages.update(apt_packages(line))
            for words in shell_commands(line):
                if words[:1] == ["ensure_apt"]:
                    packages.update(w for w in words[1:] if "$" not in w)
    return packages


def check_apt_packages_match(ctx):
    build_image, _, lines = dockerfile_stages()[0]
    require(build_image.startswith("swift:"), f"the first stage builds FROM {build_image}, not a swift image")
    docker = set()
    for line in lines:
        if line.upper().startswith("RUN "):
            docker.update(apt_packages(line[4:]))
    scripts = script_apt_packages()
    # Headers and pkg-config are what a build needs; chromium or mariadb-server serve the tests alone.
    scripts_build = {p for p in scripts if p.endswith("-dev") or p == "pkg-config"}
    only_docker = sorted(docker - scripts)
    only_scripts = sorted(scripts_build - docker)
    require(not only_docker and not only_scripts,
            f"build packages differ: only in {DOCKERFILE}: {only_docker}; "
            f"only in {' / '.join(BUILD_SCRIPTS)}: {only_scripts}")


def shell_assignments(text):
    values = {}
    for line in logical_lines(text):
        match = re.match(r"^(?:export\s+|local\s+)?(\w+)=(\(.*\)|\S*)$", line)
        if match:
            value = match.group(2)
            values[match.group(1)] = value[1:-1] if value.startswith("(") else value.strip("\"'")
    return values


def swift_flags(words):
    """The flags of a `swift build`/`swift test` that decide what gets compiled, normalized."""
    ignored_with_value = {"-c", "--configuration", "--product", "--target", "-j", "--jobs", "--filter", "--skip"}
    ignored = {"--build-tests", "--skip-build", "-q", "--quiet", "-v", "--verbose", "--parallel"}
    flags, index = [], 0
    while index < len(words):
        word = words[index]
        if word in ignored_with_value:
            index += 2
            continue
        if word in ignored or any(word.startswith(w + "=") for w in ignored_with_value):
            index += 1
            continue
        if word == "--traits" and index + 1 < len(words):
            flags.append("--traits=" + ",".join(sorted(words[index + 1].split(","))))
            index += 2
            continue
        if word.startswith("--traits="):
            flags.append("--traits=" + ",".join(sorted(word.split("=", 1)[1].split(","))))
        else:
            flags.append(word)
        index += 1
    return flags


def swift_invocations(text, variables):
    found = []
    for line in logical_lines(text):
        expanded = re.sub(r'"?\$\{?(\w+)(?:\[@\])?\}?"?',
                          lambda m: variables.get(m.group(1), m.group(0)), line)
        for words in shell_commands(expanded):
            if len(words) >= 2 and words[0] == "swift" and words[1] in ("build", "test"):
                found.append((words[1], words[2:]))
    return found


def check_swift_build_flags(ctx):
    docker = []
    for line in dockerfile_stages()[0][2]:
        if line.upper().startswith("RUN "):
            docker += [args for verb, args in swift_invocations(line[4:], {}) if verb == "build"]
    require(docker, f"{DOCKERFILE} runs no `swift build` in its build stage")
    require(all("--product" in args and "jobpulse" in args for args in docker),
            f"{DOCKERFILE}: swift build does not build --product jobpulse")
    scripts = []
    for script in BUILD_SCRIPTS:
        text = read(script)
        scripts += swift_invocations(text, shell_assignments(text))
    require(scripts, f"{' / '.join(BUILD_SCRIPTS)} run no swift build or swift test")
    unresolved = [args for _, args in scripts if any("$" in a for a in args)]
    require(not unresolved, f"cannot read the swift flags of the scripts: {unresolved}")
    docker_flags = {tuple(swift_flags(args)) for args in docker}
    script_flags = {tuple(swift_flags(args)) for verb, args in scripts if verb == "build"} or \
                   {tuple(swift_flags(args)) for _, args in scripts}
    require(len(docker_flags) == 1, f"{DOCKERFILE} builds with differing flags {sorted(docker_flags)}")
    require(docker_flags <= script_flags,
            f"swift build flags differ: {DOCKERFILE} uses {sorted(docker_flags)[0] or '(none)'}, "
            f"the scripts use {[list(f) or '(none)' for f in sorted(script_flags)]}")


def check_dockerfile_runtime(ctx):
    stages = dockerfile_stages()
    image, _, lines = stages[-1]
    require(image.startswith("debian:bookworm"), f"the runtime stage is FROM {image}, not debian:bookworm-slim")
    text = "\n".join(lines)
    require(re.search(r'^ENTRYPOINT \["jobpulse"\]$', text, re.M), 'ENTRYPOINT is not ["jobpulse"]')
    require(re.search(r'^CMD \["serve"\]$', text, re.M), 'CMD is not ["serve"]')
    require(re.search(r"^USER jobpulse$", text, re.M), "the runtime does not run as user jobpulse")
    require(re.search(r"^VOLUME /var/lib/jobpulse$", text, re.M), "no VOLUME /var/lib/jobpulse")
    require(re.search(r"^HEALTHCHECK .*curl .*/healthz", text, re.M), "no HEALTHCHECK with curl on /healthz")
    env = ctx.runtime_environment()
    expected = {"JOBPULSE_DATA_DIR": "/var/lib/jobpulse", "JOBPULSE_HOST": "0.0.0.0", "JOBPULSE_PORT": "8080"}
    wrong = {k: env.get(k) for k, v in expected.items() if env.get(k) != v}
    require(not wrong, f"runtime ENV differs from {expected}: {wrong}")
    runtime_packages = set()
    for line in lines:
        if line.upper().startswith("RUN "):
            runtime_packages.update(apt_packages(line[4:]))
    allowed = {"libsqlite3-0", "libmariadb3", "ca-certificates", "curl"}
    require(runtime_packages == allowed, f"runtime packages {sorted(runtime_packages)}, expected {sorted(allowed)}")
    require(re.search(r"^COPY --from=\S+ /usr/lib/swift/linux/\*\.so ", text, re.M),
            "the runtime does not copy the Swift runtime libraries")
    # Every resource bundle beside the built binary must travel with it.
    build_text = "\n".join(stages[0][2])
    bundles = sorted(d for d in os.listdir(os.path.dirname(os.path.abspath(ctx.binary)))
                     if d.endswith(".resources")) if ctx.binary and os.path.exists(ctx.binary) else []
    require("*.resources" in build_text or all(b in build_text for b in bundles),
            f"the image does not copy the resource bundles {bundles}")
    require(bundles == [] or any(b.endswith("_JobPulseServer.resources") for b in bundles),
            "no JobPulseServer resource bundle beside the binary")


def check_grafana_provisioning(ctx):
    datasource = yaml.safe_load(read(DATASOURCE))
    sources = datasource.get("datasources") or []
    require(len(sources) == 1, f"{DATASOURCE} should define one data source")
    source = sources[0]
    require(source.get("name") == "JobPulse" and source.get("uid") == DATASOURCE_UID and source.get("type") == "mysql",
            f"{DATASOURCE}: expected name JobPulse, uid {DATASOURCE_UID}, type mysql")
    fields = {"url": source.get("url"), "user": source.get("user"),
              "database": (source.get("jsonData") or {}).get("database"),
              "password": (source.get("secureJsonData") or {}).get("password")}
    literal = sorted(k for k, v in fields.items() if not v or "$" not in str(v))
    require(not literal, f"{DATASOURCE}: {literal} do not come from environment variables")
    require((source.get("jsonData") or {}).get("timezone") in ("+00:00", "UTC", "utc"),
            f"{DATASOURCE}: the session time zone is not UTC")
    provider = yaml.safe_load(read(DASHBOARD_PROVIDER))
    paths = [(p.get("options") or {}).get("path") for p in provider.get("providers") or [] if p.get("type") == "file"]
    require(paths == ["/var/lib/grafana/dashboards"], f"{DASHBOARD_PROVIDER}: file provider paths {paths}")
    mounts = [v for v in ctx.services["grafana"].get("volumes") or [] if isinstance(v, str)]
    for source_dir, target in (("./deploy/grafana/provisioning", "/etc/grafana/provisioning"),
                               ("./deploy/grafana/dashboards", "/var/lib/grafana/dashboards")):
        require(f"{source_dir}:{target}:ro" in mounts, f"grafana does not mount {source_dir} at {target} read-only")


def check_dashboard(ctx):
    dashboard = json.loads(read(DASHBOARD))
    expected = {"uid": "jobpulse", "title": "JobPulse", "refresh": "5s", "timezone": "utc", "schemaVersion": 39}
    wrong = {k: dashboard.get(k) for k, v in expected.items() if dashboard.get(k) != v}
    require(not wrong, f"{DASHBOARD}: {wrong} differ from {expected}")
    require(dashboard.get("time") == {"from": "now-24h", "to": "now"}, f"{DASHBOARD}: time range is not the last 24 hours")

    variables = {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list") or []}
    require(set(variables) == set(VARIABLES), f"template variables {sorted(variables)}, expected {sorted(VARIABLES)}")
    for name, column in VARIABLES.items():
        v = variables[name]
        query = v.get("query") if isinstance(v.get("query"), str) else (v.get("query") or {}).get("rawSql", "")
        require(v.get("type") == "query" and (v.get("datasource") or {}).get("uid") == DATASOURCE_UID,
                f"variable {name} is not a query on the {DATASOURCE_UID} data source")
        require(re.sub(r"\s+", " ", query).strip() == f"SELECT DISTINCT {column} FROM events ORDER BY 1",
                f"variable {name} queries {query!r}")
        require(v.get("includeAll") is True and v.get("allValue") == "-1" and v.get("multi") is False,
                f"variable {name} needs includeAll true, allValue -1, multi false")

    panels = [p for p in dashboard.get("panels") or [] if p.get("type") != "row"]
    titles = [p.get("title") for p in panels]
    require(sorted(titles) == sorted({**PANELS, **BUDGET_PANELS, **ALERT_PANELS}),
            f"panels {titles}, expected {list(PANELS) + list(BUDGET_PANELS) + list(ALERT_PANELS)}")
    ids = [p.get("id") for p in dashboard.get("panels") or []]
    require(len(set(ids)) == len(ids), f"panel ids repeat: {ids}")
    problems = []
    for panel in panels:
        title = panel["title"]
        if title in BUDGET_PANELS:
            problems += budget_panel_problems(panel)
            continue
        if title in ALERT_PANELS:
            problems += alert_panel_problems(panel)
            continue
        kind, fmt, columns, api = PANELS[title]
        where = f"panel {title!r}"
        found, target = single_query_problems(panel, kind, fmt, api)
        problems += found
        if target is None:
            continue
        sql = target.get("rawSql") or ""
        flat = re.sub(r"\s+", " ", sql)
        macros = set(re.findall(r"\$__\w+(?:\([^)]*\))?", sql))
        if "$__timeFilter(e.hour_start)" not in macros or not macros <= TIME_MACROS:
            problems.append(f"{where}: macros {sorted(macros)}, expected $__timeFilter(e.hour_start) and at most {sorted(TIME_MACROS)}")
        names = set(re.findall(r"\$\{?(\w+)", re.sub(r"\$__\w+", "", sql))) | set(re.findall(r"\[\[(\w+)", sql))
        if names != set(VARIABLES):
            problems.append(f"{where}: variables {sorted(names)}, expected {sorted(VARIABLES)}")
        stripped = flat.replace(FILTER, "").replace(NOT_ALL_VALUES, "").replace(ALL_VALUES, "")
        if FILTER not in flat or "$publisher" in stripped or "$campaign" in stripped:
            problems.append(f"{where}: uses $publisher/$campaign other than as `{FILTER}` (or `{ALL_VALUES}`)")
        # The funnel's rows come from `events`, or from a rollup the warehouse keeps beside it
        # (`rollup_hour`: sums per hour, publisher and campaign; `rollup_job_day`: per day, job,
        # publisher and campaign), each read aliased `e` and filtered by the variables; or from
        # the hour totals (`rollup_hour_total`) only while both variables are "All", beside a
        # filtered read that says it stands aside then.
        tables = re.findall(r"\b(?:FROM|JOIN)\s+(?:events|rollup_hour|rollup_job_day)\b(\s+(?:AS\s+)?\w+)?", flat, re.I)
        totals = re.findall(r"\b(?:FROM|JOIN)\s+rollup_hour_total\b(\s+(?:AS\s+)?\w+)?", flat, re.I)
        if flat.count(FILTER) != len(tables):
            problems.append(f"{where}: each read of events or a rollup needs the publisher/campaign filter beside it")
        unfiltered = flat.count(ALL_VALUES) - flat.count(NOT_ALL_VALUES)
        if unfiltered != len(totals) or flat.count(NOT_ALL_VALUES) != len(totals):
            problems.append(f"{where}: each read of rollup_hour_total needs `{ALL_VALUES}` beside it and a filtered read with `{NOT_ALL_VALUES}`")
        if not tables or any(alias.strip().split()[-1:] != ["e"] for alias in tables + totals):
            problems.append(f"{where}: the events table (or a rollup) is not aliased `e` everywhere")
        if re.search(r"\b(?:FROM|JOIN)\s+(?!events\b|rollup_hour\b|rollup_hour_total\b|rollup_job_day\b|job\b|\()\w+", flat, re.I):
            problems.append(f"{where}: reads a table other than events, rollup_hour, rollup_hour_total, rollup_job_day and job")
        aliases = re.findall(r"\bAS\s+(\w+)\s*(?:,|FROM\b)", flat[:flat.upper().find(" FROM ")] + " FROM", re.I)
        if aliases != columns:
            problems.append(f"{where}: result columns {aliases}, expected {columns}")
    require(not problems, "; ".join(problems))


def single_query_problems(panel, kind, fmt, api):
    """What every panel needs: its type, a valid place, a description
    that names its API counterpart, and one query on the MySQL data source in the given format.
    Returns the problems and that query's target (None when there is not exactly one)."""
    where = f"panel {panel['title']!r}"
    problems = []
    if panel.get("type") != kind:
        problems.append(f"{where} is a {panel.get('type')}, expected {kind}")
    grid = panel.get("gridPos") or {}
    if not all(isinstance(grid.get(k), int) for k in "hwxy") or grid.get("x", 0) + grid.get("w", 0) > 24:
        problems.append(f"{where} has no valid gridPos")
    if api not in (panel.get("description") or ""):
        problems.append(f"{where}: description does not name {api}")
    targets = panel.get("targets") or []
    if len(targets) != 1:
        return problems + [f"{where} has {len(targets)} queries, expected 1"], None
    target = targets[0]
    for holder in (panel, target):
        if holder.get("datasource") != {"type": "mysql", "uid": DATASOURCE_UID}:
            problems.append(f"{where}: datasource {holder.get('datasource')} is not the {DATASOURCE_UID} MySQL one")
    if target.get("format") != fmt:
        problems.append(f"{where}: format {target.get('format')}, expected {fmt}")
    return problems, target


def alert_panel_problems(panel):
    """The alerts panel: one query on the MySQL data source that reads the `alert` table only,
    with neither macros nor variables, and the columns of /api/alerts."""
    kind, fmt, columns, api = ALERT_PANELS[panel["title"]]
    where = f"panel {panel['title']!r}"
    problems, target = single_query_problems(panel, kind, fmt, api)
    if target is None:
        return problems
    flat = re.sub(r"\s+", " ", target.get("rawSql") or "")
    if "$" in flat:
        problems.append(f"{where}: uses a macro or a variable; the alerts follow neither")
    if re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", flat, re.I) != ["alert"]:
        problems.append(f"{where}: reads a table other than alert")
    aliases = re.findall(r"\bAS\s+(\w+)\s*(?:,|FROM\b)", flat[:flat.upper().find(" FROM ")] + " FROM", re.I)
    if aliases != columns:
        problems.append(f"{where}: result columns {aliases}, expected {columns}")
    return problems


def budget_panel_problems(panel):
    """A budget panel: like the others, but it reads the current period of each budget from the
    database's UTC clock (`UTC_TIMESTAMP(3)`, once: the session time zone does not matter) instead
    of the time range, and follows only the campaign variable."""
    title = panel["title"]
    kind, fmt, columns, api = BUDGET_PANELS[title]
    where = f"panel {title!r}"
    problems, target = single_query_problems(panel, kind, fmt, api)
    if target is None:
        return problems
    sql = target.get("rawSql") or ""
    flat = re.sub(r"\s+", " ", sql)
    macros = set(re.findall(r"\$__\w+", sql))
    if macros:
        problems.append(f"{where}: macros {sorted(macros)}; the current period does not follow the time range")
    names = set(re.findall(r"\$\{?(\w+)", sql)) | set(re.findall(r"\[\[(\w+)", sql))
    if names != {"campaign"}:
        problems.append(f"{where}: variables {sorted(names)}, expected ['campaign']")
    if flat.count(BUDGET_FILTER) != 1 or "$campaign" in flat.replace(BUDGET_FILTER, ""):
        problems.append(f"{where}: uses $campaign other than once as `{BUDGET_FILTER}`")
    if flat.count("UTC_TIMESTAMP(3)") != 1:
        problems.append(f"{where}: reads the clock other than once as UTC_TIMESTAMP(3)")
    if re.search(r"\b(NOW|CURRENT_TIMESTAMP|CURRENT_DATE|CURDATE|SYSDATE|LOCALTIME|LOCALTIMESTAMP)\b", flat, re.I):
        problems.append(f"{where}: reads the session's local time")
    tables = re.findall(r"\b(?:FROM|JOIN)\s+(events|budget|job)\b(\s+(?:AS\s+)?\w+)?", flat, re.I)
    if not {"events", "budget"} <= {t.lower() for t, _ in tables}:
        problems.append(f"{where}: does not read both budget and events")
    aliases_expected = {"events": "e", "budget": "b", "job": "j"}
    if any(alias.strip().split()[-1:] != [aliases_expected[t.lower()]] for t, alias in tables):
        problems.append(f"{where}: tables not aliased events e, budget b, job j")
    if re.search(r"\b(?:FROM|JOIN)\s+(?!events\b|job\b|budget\b|\()\w+", flat, re.I):
        problems.append(f"{where}: reads a table other than budget, events and job")
    aliases = re.findall(r"\bAS\s+(\w+)\s*(?:,|FROM\b)", flat[:flat.upper().find(" FROM ")] + " FROM", re.I)
    if aliases != columns:
        problems.append(f"{where}: result columns {aliases}, expected {columns}")
    return problems


def grafana_sdk():
    """The Grafana Foundation SDK at the pinned version, installed with pip when missing."""
    from importlib import metadata
    name, version = GRAFANA_SDK
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        installed = None
    if installed != version:
        require(sys.version_info >= (3, 11), f"{name} needs Python 3.11 or newer; this is {sys.version.split()[0]}")
        print(f"check-deploy: installing {name}=={version} with pip", file=sys.stderr)
        pip = [sys.executable, "-m", "pip", "install", "--quiet", f"{name}=={version}"]
        if subprocess.run(pip).returncode != 0:
            # Debian's Python refuses plain pip installs (PEP 668).
            require(subprocess.run(pip + ["--break-system-packages"]).returncode == 0, f"pip could not install {name}=={version}")
    import importlib
    importlib.invalidate_caches()
    from grafana_foundation_sdk.cog import plugins, runtime
    plugins.register_default_plugins()
    return runtime


def dropped(original, encoded, path):
    """Where `encoded` lost or changed something `original` holds: keys the SDK's types do not know."""
    if isinstance(original, dict):
        if not isinstance(encoded, dict):
            return [f"{path} became {type(encoded).__name__}"]
        return [problem for key, value in original.items()
                for problem in ([f"{path}.{key} dropped"] if key not in encoded else dropped(value, encoded[key], f"{path}.{key}"))]
    if isinstance(original, list):
        if not isinstance(encoded, list) or len(original) != len(encoded):
            return [f"{path} changed length"]
        return [problem for i, (a, b) in enumerate(zip(original, encoded)) for problem in dropped(a, b, f"{path}[{i}]")]
    return [] if original == encoded else [f"{path}: {original!r} became {encoded!r}"]


def check_dashboard_decodes_with_grafana_sdk(ctx):
    """Loads the dashboard with Grafana's own published types (the Grafana Foundation SDK): the
    dashboard, every panel (its options and field config with the SDK's model of its panel type)
    and every target must decode, and the decoded model, encoded again, must keep each panel as
    written: title, type, datasource, every option, and each target's rawSql.

    The SDK has no model for the SQL data sources (MySQL among them): it decodes their targets
    as UnknownDataquery, a bag that keeps the JSON as it is. So a target is decoded as the SDK's
    common DataQuery too (refId, hide, queryType, datasource), and its rawSql and format are
    checked after the round trip; the SQL itself is checked by check_dashboard and, on MariaDB,
    by Tests/ServerTests/GrafanaDashboardTests.swift."""
    runtime = grafana_sdk()
    from grafana_foundation_sdk.cog.encoder import JSONEncoder
    from grafana_foundation_sdk.models import common
    from grafana_foundation_sdk.models.dashboard import Dashboard, FieldConfigSource, Panel, RowPanel

    data = json.loads(read(DASHBOARD))
    dashboard = Dashboard.from_json(data)
    encoded = json.loads(json.dumps(dashboard, cls=JSONEncoder))
    require(encoded.get("uid") == data.get("uid") and encoded.get("schemaVersion") == data.get("schemaVersion"),
            "the dashboard's uid or schemaVersion did not survive the SDK's round trip")
    originals, decoded, again = data.get("panels") or [], dashboard.panels or [], encoded.get("panels") or []
    require(len(originals) == len(decoded) == len(again), f"{len(originals)} panels in the JSON, {len(decoded)} decoded")
    problems = []
    for original, model, panel in zip(originals, decoded, again):
        where = f"panel {original.get('title')!r}"
        if original.get("type") == "row":
            if not isinstance(model, RowPanel):
                problems.append(f"{where} did not decode as a RowPanel")
            problems += dropped(original, panel, where)
            continue
        config = runtime.panelcfg_config(original.get("type", ""))
        if not isinstance(model, Panel) or config is None:
            problems.append(f"{where}: the SDK has no model of panels of type {original.get('type')!r}")
            continue
        if "options" in original and type(model.options).__name__ != "Options":
            problems.append(f"{where}: options did not decode with the SDK's {original['type']} Options")
        if "fieldConfig" in original and not isinstance(model.field_config, FieldConfigSource):
            problems.append(f"{where}: fieldConfig did not decode")
        for target in original.get("targets") or []:
            query = common.DataQuery.from_json(target)
            if not query.ref_id or query.datasource != original.get("datasource"):
                problems.append(f"{where}: target {target.get('refId')!r} has no refId or another datasource")
        for key in ("title", "type", "datasource"):
            if panel.get(key) != original.get(key):
                problems.append(f"{where}: {key} {original.get(key)!r} became {panel.get(key)!r}")
        sql = [(t.get("rawSql"), t.get("format")) for t in original.get("targets") or []]
        if [(t.get("rawSql"), t.get("format")) for t in panel.get("targets") or []] != sql:
            problems.append(f"{where}: a target's rawSql or format did not survive the round trip")
        problems += dropped(original, panel, where)
    require(not problems, "; ".join(problems))


def check_spark_reads_the_cassandra_lake(ctx):
    """The spark profile's engine reads the stack's Cassandra lake: the driver and every Spark node
    run images with the Python packages of the job's Cassandra data source, at the versions the
    tests use, and the driver is given the stack's cassandra:// lake."""
    problems = []
    services = ctx.services
    for name, target in (("spark-master", "spark-node"), ("spark-worker", "spark-node"), ("etl-spark", "spark-driver")):
        build = services[name].get("build") or {}
        if not isinstance(build, dict) or build.get("target") != target:
            problems.append(f"{name} should be built from the Dockerfile's {target} target")
    stages = {name: (image, lines) for image, name, lines in dockerfile_stages() if name}
    if "spark-node" not in stages or not stages["spark-node"][0].startswith("apache/spark:4.0.1"):
        problems.append("the Dockerfile has no spark-node stage FROM apache/spark:4.0.1")
    elif stages.get("spark-driver", ("",))[0] != "spark-node":
        problems.append("the spark-driver stage should be FROM spark-node, so that driver and executors match")
    else:
        installed = " ".join(stages["spark-node"][1])
        pins = dict(re.findall(r"(cassandra-driver|pyarrow)==([\w.]+)", read("spark/run-tests.sh")))
        for package in ("cassandra-driver", "pyarrow"):
            if f"{package}=={pins.get(package)}" not in installed:
                problems.append(f"the spark-node stage does not install {package}=={pins.get(package)} as spark/run-tests.sh does")
    lake = interpolate(str((services["etl-spark"].get("environment") or {}).get("JOBPULSE_LAKE", "")), env_example())
    if not lake.startswith("cassandra://"):
        problems.append(f"etl-spark reads the lake {lake or '(none)'}, not the stack's cassandra:// lake")
    require(not problems, "; ".join(problems))


CHECKS = [
    ("compose file parses as YAML", check_compose_parses),
    ("services wait for each other and one ETL runs", check_service_wiring),
    ("mounted, built and copied paths exist", check_mounts_and_builds_exist),
    ("stateful services use named volumes", check_named_volumes),
    ("images pinned to version tags", check_images_pinned),
    ("jobpulse options exist in --help", check_jobpulse_options),
    ("JOBPULSE_* variables exist in --help", check_jobpulse_environment),
    ("grafana gets the data source's variables", check_grafana_environment),
    ("published ports match JOBPULSE_PORT and 3000", check_ports),
    ("compose variables defined in .env.example", check_variables_defined),
    ("no literal secrets", check_no_literal_secrets),
    ("Dockerfile apt packages match the scripts", check_apt_packages_match),
    ("Dockerfile swift build flags match the scripts", check_swift_build_flags),
    ("Dockerfile runtime stage", check_dockerfile_runtime),
    ("the Spark engine reads the Cassandra lake", check_spark_reads_the_cassandra_lake),
    ("Grafana provisioning", check_grafana_provisioning),
    ("Grafana dashboard", check_dashboard),
    ("Grafana dashboard decodes with Grafana's published types", check_dashboard_decodes_with_grafana_sdk),
]


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    binary = argv[1] if len(argv) == 2 else os.path.join(ROOT, ".build", "debug", "jobpulse")
    ctx = Context(os.path.abspath(binary))
    passed = failed = 0
    for name, check in CHECKS:
        try:
            check(ctx)
        except CheckFailed as error:
            failed += 1
            print(f"FAIL {name}: {error}")
        except Exception as error:  # a file that is missing or malformed
            failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"check-deploy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
