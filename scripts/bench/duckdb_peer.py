"""The DuckDB peer of `jobpulse bench --peer duckdb`: what a user would write instead of JobPulse.

Loads a tracking CSV (the output of `jobpulse generate --csv`) into a durable DuckDB database
file, then aggregates it to the warehouse's grain (job, date, hour, publisher, campaign, group)
under the normalization rules of README.md, written as DuckDB SQL. Prints one JSON object: the
rows read, accepted and rejected, the funnel totals and the number of grains, and the seconds
spent loading and aggregating.

The rules are followed exactly except where DuckDB's JSON reader decides what `ed` is:
  - an `ed` is read when it is at most 16 KiB and DuckDB's JSON reader takes it as one object;
    the 32-level nesting limit is not checked, and DuckDB's reader may differ from JobPulse's
    on edge cases (duplicate names, numbers with leading zeros);
  - sums of money are exact (HUGEINT) rather than saturating at 64 bits.
The generated traffic touches none of these edges, so the totals should agree exactly.

Usage: duckdb_peer.py --csv tracking.csv --database peer.duckdb [--threads 2] [--max-future 3600]
(the `duckdb` package must be importable, e.g. installed with pip --target and put on PYTHONPATH).
"""

import argparse
import json
import time

import duckdb

# An integer epoch below this is in seconds, at or above it in milliseconds (EventTime.secondsBelow).
EPOCH_SECONDS_BELOW = 100_000_000_000
# 9999-12-31T23:59:59.999Z, the last instant a warehouse DATE can hold.
MAX_EVENT_MS = 253_402_300_799_999
# The longest `ed` read, in UTF-8 bytes (EventDetails.maxBytes).
ED_MAX_BYTES = 16 * 1024
INT32_MAX = 2_147_483_647

# Rule 5: the three forms of `ts`, each checked by a pattern first so that DuckDB's lenient
# casts never accept a form the rules refuse. Hours, minutes and seconds are range-checked by the
# pattern, the date by the cast (2022-02-30 fails it).
SQL_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?$"
ISO_TIME = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?"
            r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$")
EPOCH = r"^[0-9]{1,15}$"

# A local date-time without zone: DuckDB keeps microseconds, so a finer fraction is cut to six
# digits (the rules truncate to milliseconds; no hour boundary moves either way).
LOCAL_MS = "epoch_ms(try_cast(left(replace({text}, 'T', ' '), 26) AS TIMESTAMP))"
ISO_ZONE = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"
ISO_OFFSET_MS = (
    "CASE WHEN ts LIKE '%Z' THEN 0 ELSE "
    "(CASE WHEN regexp_extract(ts, '([+-])[0-9]{2}:?[0-9]{2}$', 1) = '+' THEN 1 ELSE -1 END) * "
    "(CAST(regexp_extract(ts, '[+-]([0-9]{2}):?[0-9]{2}$', 1) AS BIGINT) * 3600000 + "
    "CAST(regexp_extract(ts, '[+-][0-9]{2}:?([0-9]{2})$', 1) AS BIGINT) * 60000) END"
)

EVENT_MS = f"""
    CASE
        WHEN regexp_matches(ts, '{EPOCH}') THEN
            CASE WHEN CAST(ts AS BIGINT) < {EPOCH_SECONDS_BELOW} THEN CAST(ts AS BIGINT) * 1000 ELSE CAST(ts AS BIGINT) END
        WHEN regexp_matches(ts, '{SQL_TIME}') THEN {LOCAL_MS.format(text='ts')}
        WHEN regexp_matches(ts, '{ISO_TIME}') THEN
            {LOCAL_MS.format(text=f"regexp_replace(ts, '{ISO_ZONE}', '')")} - ({ISO_OFFSET_MS})
    END"""


def integer_id(text: str) -> str:
    """Rules 2 and 3: one integer (1 to 10 ASCII digits fitting a 32-bit INT), else NULL."""
    return (f"CASE WHEN regexp_matches({text}, '^[0-9]{{1,10}}$') AND CAST({text} AS BIGINT) <= {INT32_MAX} "
            f"THEN CAST({text} AS INTEGER) END")


def ed_member(name: str) -> str:
    """An `ed` member's text when it is a string or a number (numbers keep their JSON text)."""
    return (f"CASE WHEN json_type(ed_object, '$.{name}') IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE') "
            f"THEN json_extract_string(ed_object, '$.{name}') END")


def identifier(column: str, member: str) -> str:
    return f"coalesce({integer_id(f'nullif({column}, {chr(39)}{chr(39)})')}, {integer_id(ed_member(member))}, 0)"


# Rule 4: a non-negative decimal with at most 12 whole digits, in millionths; digits past the
# sixth decimal are dropped; anything else is 0.
BID_MICROS = r"""
    CASE WHEN regexp_matches(bid, '^[0-9]{0,12}(\.[0-9]*)?$') AND regexp_matches(bid, '[0-9]') THEN
        coalesce(CAST(nullif(regexp_extract(bid, '^([0-9]*)', 1), '') AS BIGINT), 0) * 1000000
        + CAST(rpad(left(regexp_extract(bid, '\.([0-9]*)$', 1), 6), 6, '0') AS BIGINT)
    ELSE 0 END"""

NORMALIZED = f"""
    WITH readable AS (
        SELECT *,
            CASE WHEN strlen(ed) <= {ED_MAX_BYTES} AND json_valid(ed) AND json_type(ed) = 'OBJECT' THEN CAST(ed AS JSON) END AS ed_object,
            {EVENT_MS} AS event_ms
        FROM raw_events
    )
    SELECT
        coalesce(nullif(custom_track, ''),
                 CASE WHEN json_type(ed_object, '$.customEvent') = 'VARCHAR' THEN json_extract_string(ed_object, '$.customEvent') END) AS kind,
        {identifier('job_id', 'jobId')} AS job_id,
        {identifier('publisher_id', 'publisherId')} AS publisher_id,
        {identifier('campaign_id', 'campaignId')} AS campaign_id,
        {identifier('group_id', 'groupId')} AS group_id,
        coalesce({BID_MICROS}, 0) AS bid_micros,
        event_ms
    FROM readable
    WHERE event_ms BETWEEN 0 AND least({MAX_EVENT_MS}, $now_ms + $max_future_ms)
"""

AGGREGATE = f"""
    CREATE TABLE events AS
    WITH normalized AS ({NORMALIZED})
    SELECT
        job_id,
        CAST(epoch_ms(event_ms) AS DATE) AS dates,
        hour(epoch_ms(event_ms)) AS hours,
        publisher_id, campaign_id, group_id,
        count(*) FILTER (WHERE kind = 'click') AS clicks,
        count(*) FILTER (WHERE kind = 'conversion') AS conversion,
        count(*) FILTER (WHERE kind = 'qualified') AS qualified_application,
        count(*) FILTER (WHERE kind = 'unqualified') AS disqualified_application,
        coalesce(sum(bid_micros) FILTER (WHERE kind = 'click'), 0) AS spend_micros
    FROM normalized
    WHERE kind IN ('click', 'conversion', 'qualified', 'unqualified')
    GROUP BY ALL
"""

ACCEPTED = f"WITH normalized AS ({NORMALIZED}) SELECT count(*) FROM normalized"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-future", type=int, default=3600, help="seconds a ts may lie ahead of the clock (as jobpulse import)")
    args = parser.parse_args()
    parameters = {"now_ms": int(time.time() * 1000), "max_future_ms": args.max_future * 1000}

    started = time.monotonic()
    connection = duckdb.connect(args.database)
    connection.execute(f"SET threads = {args.threads}")
    # Every field as text, as the lake keeps it; `""` is the CSV's only escape.
    connection.execute(
        "CREATE TABLE raw_events AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "
        "escape = '\"', all_varchar = true)", [args.csv])
    loaded = time.monotonic()
    connection.execute(AGGREGATE, parameters)
    connection.execute("CHECKPOINT")
    aggregated = time.monotonic()

    rows = connection.execute("SELECT count(*) FROM raw_events").fetchone()[0]
    accepted = connection.execute(ACCEPTED, parameters).fetchone()[0]
    totals = connection.execute(
        "SELECT count(*), coalesce(sum(clicks), 0), coalesce(sum(conversion), 0), coalesce(sum(qualified_application), 0), "
        "coalesce(sum(disqualified_application), 0), CAST(coalesce(sum(spend_micros), 0) AS VARCHAR) FROM events").fetchone()
    connection.close()
    print(json.dumps({
        "rows": rows, "accepted": accepted, "rejected": rows - accepted,
        "grains": totals[0], "clicks": totals[1], "conversions": totals[2], "qualified": totals[3],
        "unqualified": totals[4], "spend_micros": int(totals[5]),
        "load_seconds": loaded - started, "aggregate_seconds": aggregated - loaded,
    }))


if __name__ == "__main__":
    main()
