"""Bulk-load throughput: the encoder alone against `crosscheck load` end to end, per database.

Usage: python bench/ingest.py [N] [--postgres-url URL] [--skip-postgres] [--keep]
Generates N varied synthetic claims (seeded, so every run loads the same file), times the
encoder on their texts in process, then runs the real command line as child processes
(`crosscheck db upgrade`, `crosscheck load`) on a fresh SQLite file and a fresh PostgreSQL
database, and loads the file a second time to check that a re-run inserts nothing.
Prints figures only; nothing is asserted. --keep leaves the temp folder and databases behind.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crosscheck.settings import Settings
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://127.0.0.1:5432/test"
COMPLETED = (0, 3)  # 3: the load finished but rejected some rows
PROBE_ROWS = 10
POLL_SECONDS = 0.2

COUNTRIES = (
    "Kenya, Peru, Poland, Vietnam, Ghana, Chile, Norway, Indonesia, Morocco, Canada, Brazil, "
    "Turkey, the Philippines, Romania, Ethiopia, Argentina, Bangladesh, Portugal, Colombia, "
    "Finland, Egypt, Malaysia, Mexico, Georgia"
).split(", ")
REGIONS = (
    "the northern province, the eastern border region, the coastal districts, the capital "
    "region, the southern highlands, the river delta, the western valleys, the island "
    "prefecture, the central plateau, the mining belt"
).split(", ")
CITIES = (
    "Riverton, Port Calder, Eastbrook, Halvik, Marren, Sollano, Kestrel Bay, Dunmore, Velsk, "
    "Amberford, Novaya Kamen, San Teodoro, Lakemouth, Brennick, Ostrava Heights, Tamsin, "
    "Greyhaven, Corvallo, Maple Junction, Saltmere, Idris Wells, Fenwick, Orlova, Puerto Lindo, "
    "Hartwell, Zelen, Kingsferry, Ashgrove, Bellmar, Ravensholm"
).split(", ")
WATERS = (
    "the Arden River, the Velka River, Lake Moraine, the Sorrel estuary, the Tamsin canal, "
    "the Brenn reservoir, the Ostra River, Kestrel Bay, the Lindo lagoon, the upper Marren"
).split(", ")
PORTS = (
    "the port of Saltmere, the Kingsferry container terminal, Port Calder, the Halvik docks, "
    "the Puerto Lindo freight terminal, the Bellmar grain quay"
).split(", ")
COMPANIES = (
    "Northwind Energy, Calder Petrochemicals, Meridian Foods, Halvik Shipping, Orbis Telecom, "
    "Brightline Rail, Sable Mining, Vantage Motors, Keystone Pharma, Atlas Steel, Lumen Grid, "
    "Greyhaven Paper, Corvallo Cement, Tidewater Fisheries, Ironbark Logistics, Solace Airlines, "
    "Harrow Chemicals, Bluefield Agro, Summit Textiles, Quarry Point Minerals, Pinecrest Dairy, "
    "Redline Freight, Oakmont Water, Silverline Bank, Nimbus Semiconductors, Arcadia Retail, "
    "Polar Glass, Crestview Hospitals, Granite Insurance, Westmark Refining"
).split(", ")
UNIONS = (
    "dockworkers, nurses, teachers, rail workers, miners, bus drivers, airport ground staff, "
    "postal workers, refinery workers, sanitation workers, air traffic controllers, doctors"
).split(", ")
PARTIES = (
    "the ruling coalition, the opposition alliance, the Green Party, the Labour bloc, the "
    "centrist Renewal party, the Agrarian Union, the Civic Platform, the People's Front"
).split(", ")
COMMODITIES = (
    "diesel, bread, rice, wheat flour, cooking oil, electricity, natural gas, coffee, sugar, "
    "fertiliser, petrol, eggs, milk, cement"
).split(", ")
SUBSTANCES = (
    "crude oil, diesel fuel, industrial solvent, chlorine, fertiliser runoff, mine tailings, "
    "untreated sewage, hydraulic fluid, ammonia"
).split(", ")
EVENTS = (
    "a powerful earthquake, a landslide, a bus crash, a factory explosion, a building collapse, "
    "a ferry accident, a fire at a market, an artillery strike, a train derailment"
).split(", ")
DISASTERS = "earthquake, floods, landslides, cyclone, mine collapse, storm, wildfires".split(", ")
STORMS = (
    "Cyclone Amara, Typhoon Belen, Storm Corin, Hurricane Delia, The spring floods, "
    "A severe hailstorm, Flash flooding, Storm Elin, Typhoon Rasa"
).split(", ")
BUDGET_ITEMS = (
    "defence, hospitals, road repairs, school meals, flood defences, rural broadband, "
    "police pay, pensions, public housing, rail upgrades"
).split(", ")
PRODUCTS = "steel, paper, cars, fertiliser, cement, phones, textiles, glass, chips".split(", ")
FACILITIES = "refinery, processing plant, storage depot, smelter, chemical works, mine".split(", ")
DISEASES = "measles, cholera, dengue fever, influenza, mpox, tuberculosis".split(", ")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

TEMPLATES = (
    "{country} has deployed about {troops} troops to {region} {when}, according to two officials "
    "who spoke on condition of anonymity.",
    "At least {dead} people were killed and {injured} injured when {event} hit {city} {when}, "
    "local health authorities said.",
    "The price of {commodity} in {country} rose by {pct} percent {when}, the sharpest monthly "
    "increase since {year}.",
    "Around {workers} {union} in {city} walked off the job {when} to demand a {pct} percent pay "
    "rise and safer shifts.",
    "{party} won {seats} of the {total_seats} seats in the parliamentary election in {country}, "
    "with turnout at {turnout} percent.",
    "Roughly {litres} litres of {substance} leaked into {water} near {city} {when}, and the spill "
    "has not yet been contained.",
    "The government of {country} will spend {money} on {budget_item} next year, a {pct} percent "
    "increase on the current budget.",
    "{storm} damaged more than {homes} homes across {region} of {country} {when}, with losses "
    "estimated at {money}.",
    "{company} said it would cut {jobs} jobs at its {city} plant by {future_year}, blaming "
    "falling demand for {product}.",
    "Border guards in {country} turned back {people} people at the crossing near {city} {when}, "
    "the interior ministry said.",
    "Only {litres} litres of {substance} escaped from the {company} {facility}, far less than "
    "the {big_litres} litres reported earlier.",
    "No troops from {country} are stationed in {region}, and reports of a build-up near {city} "
    "{when} are false, the defence ministry said.",
    "Inflation in {country} slowed to {low_pct} percent in {month}, down from {high_pct} percent "
    "a month earlier, according to official figures.",
    "Polls closed {when} in {city}, where {party} is expected to keep control of the council "
    "after {years} years in office.",
    "Tap water in {city} is safe to drink again, officials said {when}, {days} days after "
    "{substance} was detected in {water}.",
    "A strike by {union} has halted traffic at {port} for {days} days, leaving more than "
    "{containers} containers stuck on the quay.",
    "{company} reported a net profit of {money} for the {quarter} quarter, up {pct} percent from "
    "the same period last year.",
    "Wildfires have burned about {hectares} hectares of forest in {region} of {country} since "
    "{month}, forcing {people} residents to leave their homes.",
    "Air defences in {country} shot down {drones} drones over {region} overnight and no "
    "casualties were reported, the air force said {when}.",
    "The central bank of {country} raised its main interest rate by {bps} basis points to "
    "{low_pct} percent {when}.",
    "Officials in {city} had counted {votes} ballots by midnight, putting {party} ahead by "
    "fewer than {margin} votes in the mayoral race.",
    "The death toll from the {disaster} in {region} of {country} has risen to {dead}, with "
    "dozens still missing, rescuers said {when}.",
    "{city} recorded {rain} millimetres of rain in {hours} hours {when}, flooding {roads} roads "
    "and cutting power to {households} households.",
    "Unemployment in {country} fell to {low_pct} percent in the {quarter} quarter, its lowest "
    "level in {years} years, the statistics office said.",
    "The ministry estimates that {troops} foreign soldiers crossed into {region} {when}, a "
    "figure the neighbouring government disputes.",
    "Fuel shortages in {city} have pushed the price of {commodity} to {price} a litre, double "
    "what it cost in {month}.",
    "{company} denies that its {facility} in {city} released {substance} into {water}, saying "
    "independent tests found nothing unusual.",
    "The health ministry of {country} confirmed {cases} new cases of {disease} {when}, bringing "
    "the total this year to {total_cases}.",
    "A {pct} percent cut to the education budget in {country} will close {schools} rural "
    "schools by {future_year}, teachers' unions warned.",
    "More than {passengers} passengers were stranded at {city} airport {when} after {union} "
    "began a {hours}-hour walkout over pay.",
)


def _count(low: int, high: int, step: int = 1) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.randrange(low, high + 1, step):,}"


def _when(rng: random.Random) -> str:
    day, month, weekday = rng.randint(1, 28), rng.choice(MONTHS), rng.choice(WEEKDAYS)
    return rng.choice(
        (
            f"on {weekday}",
            f"on {day} {month}",
            f"late on {weekday}",
            f"on {weekday} morning",
            "last week",
            "overnight",
            "earlier this month",
            f"between {day} and {day + rng.randint(2, 9)} {month}",
        )
    )


def _money(rng: random.Random) -> str:
    return rng.choice(
        (
            f"${rng.randint(2, 950)} million",
            f"{rng.randint(11, 99) / 10:.1f} billion euros",
            f"{rng.randint(5, 900)} million dollars",
            f"${rng.randint(11, 250) / 10:.1f} billion",
        )
    )


SLOTS: dict[str, Callable[[random.Random], str]] = {
    "country": lambda rng: rng.choice(COUNTRIES),
    "region": lambda rng: rng.choice(REGIONS),
    "city": lambda rng: rng.choice(CITIES),
    "water": lambda rng: rng.choice(WATERS),
    "port": lambda rng: rng.choice(PORTS),
    "company": lambda rng: rng.choice(COMPANIES),
    "union": lambda rng: rng.choice(UNIONS),
    "party": lambda rng: rng.choice(PARTIES),
    "commodity": lambda rng: rng.choice(COMMODITIES),
    "substance": lambda rng: rng.choice(SUBSTANCES),
    "event": lambda rng: rng.choice(EVENTS),
    "disaster": lambda rng: rng.choice(DISASTERS),
    "storm": lambda rng: rng.choice(STORMS),
    "budget_item": lambda rng: rng.choice(BUDGET_ITEMS),
    "product": lambda rng: rng.choice(PRODUCTS),
    "facility": lambda rng: rng.choice(FACILITIES),
    "disease": lambda rng: rng.choice(DISEASES),
    "month": lambda rng: rng.choice(MONTHS),
    "quarter": lambda rng: rng.choice(("first", "second", "third", "fourth")),
    "when": _when,
    "money": _money,
    "pct": lambda rng: str(rng.randint(2, 60)),
    "turnout": lambda rng: str(rng.randint(38, 82)),
    "low_pct": lambda rng: f"{rng.randint(5, 60) / 10:.1f}",
    "high_pct": lambda rng: f"{rng.randint(61, 140) / 10:.1f}",
    "price": lambda rng: f"${rng.randint(90, 480) / 100:.2f}",
    "year": lambda rng: str(rng.randint(1991, 2018)),
    "future_year": lambda rng: str(rng.randint(2026, 2031)),
    "troops": _count(200, 40_000, 50),
    "dead": _count(3, 900),
    "injured": _count(5, 2_500),
    "workers": _count(300, 60_000, 100),
    "seats": _count(12, 148),
    "total_seats": _count(150, 460),
    "litres": _count(40, 9_000, 10),
    "big_litres": _count(10_000, 400_000, 500),
    "homes": _count(120, 35_000, 10),
    "jobs": _count(80, 12_000, 10),
    "people": _count(40, 15_000),
    "years": _count(3, 40),
    "days": _count(2, 45),
    "containers": _count(500, 60_000, 100),
    "hectares": _count(200, 250_000, 100),
    "drones": _count(3, 140),
    "bps": _count(25, 300, 25),
    "votes": _count(10_000, 900_000, 7),
    "margin": _count(40, 4_000),
    "rain": _count(60, 420),
    "hours": _count(3, 72),
    "roads": _count(4, 300),
    "households": _count(800, 250_000, 50),
    "cases": _count(12, 6_000),
    "total_cases": _count(6_001, 90_000),
    "schools": _count(8, 600),
    "passengers": _count(400, 30_000, 50),
}
FIELDS = [
    [name for _, name, _, _ in string.Formatter().parse(template) if name] for template in TEMPLATES
]


def source_names(rng: random.Random, count: int = 200) -> list[str]:
    """``count`` distinct names: governments, agencies, outlets, companies and people."""
    governments = [
        f"{form.format(c)}"
        for c in COUNTRIES
        for form in ("Government of {}", "Ministry of Defence of {}", "Foreign Ministry of {}")
    ]
    agencies = [
        f"{body} of {c}"
        for c in COUNTRIES
        for body in ("Statistics Office", "Central Bank", "Disaster Management Agency")
    ]
    outlets = [
        f"The {first} {second}"
        for first in "Daily Morning Evening Northern Coastal Capital Metro National".split()
        for second in "Herald Ledger Tribune Courier Gazette Observer Dispatch Post".split()
    ]
    people = [
        f"{title} {first} {last}"
        for title in ("Defence Minister", "Mayor", "Governor", "Senator", "Union Leader")
        for first in ("Dana", "Tomas", "Amina", "Lars", "Ines", "Kofi", "Mei", "Rafael")
        for last in ("Okafor", "Lindqvist", "Moreau", "Haddad", "Novak", "Castillo", "Tanaka")
    ]
    quotas = [(governments, 60), (agencies, 45), (outlets, 45), (COMPANIES, 30), (people, 20)]
    names = [name for pool, size in quotas for name in rng.sample(pool, size)]
    return names[:count]


def claim_rows(count: int, seed: int = 11) -> list[dict[str, str]]:
    """``count`` claims of 12 to 35 words; texts distinct unless ``count`` is enormous."""
    rng = random.Random(seed)
    sources = source_names(rng)
    # A few sources say a lot, most say little, as in real feeds.
    weights = [1 / (rank + 5) for rank in range(len(sources))]
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = int((datetime(2025, 7, 1, tzinfo=UTC) - start).total_seconds())
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    attempts = 0
    while len(rows) < count:
        attempts += 1
        which = rng.randrange(len(TEMPLATES))
        values = {name: SLOTS[name](rng) for name in FIELDS[which]}
        sentence = TEMPLATES[which].format(**values)
        sentence = sentence[0].upper() + sentence[1:]
        key = sentence.casefold()
        if not 12 <= len(sentence.split()) <= 35 or (key in seen and attempts < 50 * count):
            continue
        seen.add(key)
        stated_at = start + timedelta(seconds=rng.randrange(span))
        rows.append(
            {
                "text": sentence,
                "source": rng.choices(sources, weights)[0],
                "stated_at": stated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "external_id": f"bench-{len(rows):07d}",
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def encoder_rows_per_second(texts: list[str]) -> tuple[float, float]:
    """(rows/s, seconds) of ``encode`` on ``texts``, model load excluded."""
    settings = Settings()
    encoder = SentenceTransformerEncoder(settings.model, batch_size=settings.encode_batch_size)
    started = time.perf_counter()
    encoder.encode(texts)
    seconds = time.perf_counter() - started
    del encoder
    gc.collect()
    return len(texts) / seconds, seconds


@dataclasses.dataclass
class ChildRun:
    """One finished child process: exit status, wall seconds, peak RSS and its stderr."""

    returncode: int
    seconds: float
    peak_mb: float | None
    stderr: str

    @property
    def completed(self) -> bool:
        return self.returncode in COMPLETED

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.stderr.splitlines()[-lines:])


def gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it understands -v -o), else None."""
    path = shutil.which("time") or "/usr/bin/time"
    if not Path(path).is_file():
        return None
    with tempfile.NamedTemporaryFile("r") as report:
        probe = subprocess.run(
            [path, "-v", "-o", report.name, "true"], capture_output=True, check=False
        )
        return path if probe.returncode == 0 and "Maximum resident" in report.read() else None


def _vm_hwm_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^(?:VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def run_child(command: list[str], env: dict[str, str], time_bin: str | None) -> ChildRun:
    """Run ``command`` to completion; wall time, and peak RSS from GNU time or /proc polling."""
    with tempfile.TemporaryDirectory() as tmp:
        stderr_path, time_path = Path(tmp) / "stderr", Path(tmp) / "time"
        if time_bin:
            command = [time_bin, "-v", "-o", str(time_path), *command]
        peak_kb = 0
        with stderr_path.open("w") as stderr:
            started = time.perf_counter()
            child = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=ROOT
            )
            while child.poll() is None:
                if not time_bin:
                    peak_kb = max(peak_kb, _vm_hwm_kb(child.pid))
                time.sleep(POLL_SECONDS if not time_bin else 0.01)
            seconds = time.perf_counter() - started
        if time_bin and time_path.exists():
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_path.read_text())
            peak_kb = int(found.group(1)) if found else 0
        return ChildRun(
            returncode=child.returncode,
            seconds=seconds,
            peak_mb=peak_kb / 1024 if peak_kb else None,
            stderr=stderr_path.read_text(errors="replace"),
        )


def cli_path() -> str:
    beside = Path(sys.executable).with_name("crosscheck")
    if beside.exists():
        return str(beside)
    return str(ROOT / ".venv" / "bin" / "crosscheck")


def child_env(database_url: str, index_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CROSSCHECK_DATABASE_URL": database_url,
        "CROSSCHECK_INDEX_DIR": str(index_dir),
        "CROSSCHECK_LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
    }


def claim_count(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("select count(*) from claims")) or 0)
    finally:
        engine.dispose()


@dataclasses.dataclass
class DatabaseResult:
    """What one database did; ``failure`` says why the figures stop where they do."""

    startup_seconds: float | None = None
    load: ChildRun | None = None
    rerun: ChildRun | None = None
    count_after_load: int | None = None
    count_after_rerun: int | None = None
    failure: str | None = None


def bench_database(
    label: str, urls: tuple[str, str], files: tuple[Path, Path], tmp: Path, time_bin: str | None
) -> DatabaseResult:
    """Start-up probe on ``urls[0]`` with ``files[0]``; full load and re-run on ``urls[1]``."""
    result = DatabaseResult()
    cli = cli_path()
    for role, url, path in (("probe", urls[0], files[0]), ("main", urls[1], files[1])):
        env = child_env(url, tmp / f"index-{label}-{role}")
        upgrade = run_child([cli, "db", "upgrade"], env, time_bin)
        if upgrade.returncode != 0:
            result.failure = f"{role} `db upgrade` exited {upgrade.returncode}"
            print(f"[{label}] {result.failure}:\n{upgrade.tail()}")
            return result
        before = claim_count(url)
        load = [cli, "load", str(path), "--report", str(tmp / f"rejected-{label}-{role}.jsonl")]
        run = run_child(load, env, time_bin)
        if not run.completed:
            result.failure = f"{role} `load` exited {run.returncode}"
            print(f"[{label}] {result.failure}:\n{run.tail()}")
            return result
        if run.returncode == 3:
            print(f"[{label}] {role} load rejected some rows (exit 3); --keep keeps the report")
        if role == "probe":
            result.startup_seconds = run.seconds
            continue
        result.load, result.count_after_load = run, claim_count(url)
        print(f"[{label}] loaded {result.count_after_load - before} claims in {run.seconds:.1f}s")
        rerun = run_child(load, env, time_bin)
        if not rerun.completed:
            result.failure = f"re-run `load` exited {rerun.returncode}"
            print(f"[{label}] {result.failure}:\n{rerun.tail()}")
            return result
        result.rerun, result.count_after_rerun = rerun, claim_count(url)
    return result


@contextmanager
def postgres_databases(server_url: str, names: list[str], *, keep: bool) -> Iterator[list[str]]:
    """Create ``names`` on the server; yield their SQLAlchemy URLs; drop them unless ``keep``."""
    server = make_url(server_url)
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    created: list[str] = []
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as admin:
            for name in names:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                created.append(name)
        yield [server.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        if created and not keep:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as admin:
                for name in created:
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                    )
        elif created:
            print(f"kept PostgreSQL databases: {', '.join(created)}")


def _rate(rows: int, seconds: float | None) -> float | None:
    return rows / seconds if seconds and seconds > 0 else None


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def _ratio(value: float | None, encoder: float) -> str:
    if value is None:
        return "-"
    return f"{value / encoder:.2f} (a/b {encoder / value:.1f})"


def table_rows(n: int, encoder: float, result: DatabaseResult) -> list[str]:
    load, rerun = result.load, result.rerun
    whole = _rate(n, load.seconds) if load else None
    net_seconds = load.seconds - result.startup_seconds if load and result.startup_seconds else None
    net = _rate(n, net_seconds)
    inserted = (
        result.count_after_rerun - result.count_after_load
        if result.count_after_rerun is not None and result.count_after_load is not None
        else None
    )
    final = result.count_after_rerun
    if final is None:
        final = result.count_after_load
    return [
        _fmt(load.seconds if load else None, ".1f", " s"),
        _fmt(result.startup_seconds, ".1f", " s"),
        _fmt(whole, ",.0f"),
        _fmt(net, ",.0f"),
        _ratio(whole, encoder),
        _ratio(net, encoder),
        _fmt(load.peak_mb if load else None, ",.0f", " MB"),
        f"{rerun.returncode}" if rerun else "-",
        _fmt(rerun.seconds if rerun else None, ".1f", " s"),
        "-" if inserted is None else str(inserted),
        "-" if final is None else f"{final:,} / {n:,}",
    ]


LABELS = [
    "(b) load wall time (whole process)",
    "start-up: 10-row load, fresh db",
    "(b) rows/s, whole process",
    "(b) rows/s, excluding start-up",
    "(b)/(a), whole process",
    "(b)/(a), excluding start-up",
    "peak RSS of the load process",
    "re-run exit status",
    "re-run wall time",
    "rows inserted by the re-run",
    "claims stored / N",
]


def print_table(n: int, encoder: float, results: dict[str, DatabaseResult | str]) -> None:
    columns: dict[str, list[str]] = {}
    for label, result in results.items():
        if isinstance(result, str):
            columns[label] = ["skipped"] + [""] * (len(LABELS) - 1)
        else:
            columns[label] = table_rows(n, encoder, result)
    width = max(len(label) for label in LABELS) + 2
    widths = {
        label: max(len(label), *(len(cell) for cell in cells)) + 2
        for label, cells in columns.items()
    }
    print()
    print(f"{'(a) encoder alone, rows/s':<{width}}{encoder:,.0f}")
    print(f"{'':<{width}}" + "".join(f"{label:>{widths[label]}}" for label in columns))
    for index, name in enumerate(LABELS):
        cells = "".join(f"{cells[index]:>{widths[label]}}" for label, cells in columns.items())
        print(f"{name:<{width}}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=20_000, metavar="N", help="claims")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="server to create on")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and databases")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    tmp = Path(tempfile.mkdtemp(prefix="crosscheck-ingest-"))
    try:
        rows = claim_rows(args.n)
        data = write_jsonl(tmp / "claims.jsonl", rows)
        probe = write_jsonl(tmp / "probe.jsonl", claim_rows(PROBE_ROWS, seed=12))
        words = [len(row["text"].split()) for row in rows]
        print(
            f"{len(rows):,} claims ({len({row['text'].casefold() for row in rows}):,} distinct "
            f"texts, {len({row['source'] for row in rows})} sources, {min(words)}-{max(words)} "
            f"words) in {data} ({data.stat().st_size / 1e6:.1f} MB)"
        )

        encoder, encode_seconds = encoder_rows_per_second([row["text"] for row in rows])
        print(f"(a) encoder: {len(rows):,} texts in {encode_seconds:.1f}s")

        time_bin = gnu_time()
        print(f"peak RSS from: {time_bin + ' -v' if time_bin else '/proc/<pid>/status polling'}")
        results: dict[str, DatabaseResult | str] = {}
        sqlite_urls = (f"sqlite:///{tmp}/probe.db", f"sqlite:///{tmp}/bench.db")
        results["SQLite"] = bench_database("SQLite", sqlite_urls, (probe, data), tmp, time_bin)

        if args.skip_postgres:
            results["PostgreSQL"] = "skipped: --skip-postgres"
        else:
            names = [f"crosscheck_bench_{os.getpid()}_probe", f"crosscheck_bench_{os.getpid()}"]
            try:
                with postgres_databases(args.postgres_url, names, keep=args.keep) as urls:
                    results["PostgreSQL"] = bench_database(
                        "PostgreSQL", (urls[0], urls[1]), (probe, data), tmp, time_bin
                    )
            except psycopg.Error as exc:
                if "PostgreSQL" in results:
                    print(f"[PostgreSQL] could not drop the bench databases: {exc}")
                else:
                    reason = " ".join(str(exc).split())
                    results["PostgreSQL"] = f"skipped: {args.postgres_url} unusable: {reason}"
        for label, result in results.items():
            if isinstance(result, str):
                print(f"[{label}] {result}")
        print_table(len(rows), encoder, results)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
