"""Lakes for the tests: generated traffic from the `jobpulse` binary, plus hand-written rows at the
edges of every normalization rule, appended straight into the SQLite lake (as a lake written by
other means could hold them: the ETL must still count them exactly as the Swift engine does)."""

import os
import sqlite3

from jobpulse_cli import jobpulse

TRACKING_FIELDS = (
    "create_time", "bid", "bn", "campaign_id", "cd", "custom_track", "de", "dl", "dt", "ed", "ev", "group_id", "id",
    "job_id", "md", "publisher_id", "rl", "sr", "ts", "tz", "ua", "uid", "utm_campaign", "utm_content", "utm_medium",
    "utm_source", "utm_term", "v", "vp",
)
TS = "2022-07-18 07:05:11.130"


def _click(ed, **fields):
    """A click whose ids come from `ed` unless given as columns."""
    return dict({"custom_track": "click", "ed": ed, "bid": "1.25", "ts": TS}, **fields)


EDGE_ROWS = [
    # `ed` read as FlatJSON reads it
    _click('{"jobId":007}'),
    _click('{"jobId":null,"jobId":"5"}'),
    _click('{"jobId":"5","jobId":"6"}'),
    _click('{"jobId":{"a":1},"jobId":"5"}'),
    _click('{"jobId":"47","jobId":null}'),
    _click('{"jobId":1e3}'),
    _click('{"jobId":191.0}'),
    _click('{"jobId":-0}'),
    _click('{"jobId":-007}'),
    _click('{"jobId":"\\u0031\\u0039"}'),
    _click('{"job\\u0049d":"8"}'),
    _click('{"jobId":5} xyz'),
    _click('{"jobId":5}{"x":1}'),
    _click('{"jobId":12345678901234567890}'),
    _click('{"jobId":00000000001}'),
    _click('{"jobId":true}'),
    _click('{"jobId":{"a":1}}'),
    _click('{"jobId":["5"]}'),
    _click('{"jobId":"7","x":[1,2}'),
    _click("{'jobId':'9'}"),
    _click('{"jobId":"4,1,2"}'),
    _click('{"jobId":" 7"}'),
    _click('{"jobId":"2147483647"}'),
    _click('{"jobId":"2147483648"}'),
    _click('{"jobId":"\uff15"}'),
    _click('{"page":{"jobId":"99"},"jobId":"12"}'),
    _click('{"a":[[[[[[{"b":[1,{"c":null}]}]]]]]],"jobId":"31"}'),
    _click('{"a":[[[[[[{"b":[1,{"c":null}]}]]]]]]],"jobId":"32"}'),
    _click('{"jobId":"5",}'),
    _click('{"jobId":"5","x":"a\tb"}'),
    _click('{"jobId":"5","x":"\\q"}'),
    _click(' \n{ "jobId" : "41" , "x" : [ 1 , 2.5e+3, 1E-2, 01.5, true, false, null, {} , [] ] }\r\n'),
    _click('{"x":"Z\u00fcrich \u2713 \U0001f600","jobId":"42"}'),
    _click('{"":1,"jobId":"43"}'),
    _click('[{"jobId":"5"}]'),
    _click('{"jobId":"44"  '),
    _click('{"jobId":"\\u0035"}'),
    _click('{"x":"\\ud83d\\ude00","jobId":"45"}'),
    _click('{"x":"\\ud800","jobId":"46"}'),
    _click('{"x":1.,"jobId":"48"}'),
    _click('{"x":.5,"jobId":"49"}'),
    _click('{"x":+1,"jobId":"50"}'),
    _click('{"x":1e,"jobId":"51"}'),
    _click('{"x":True,"jobId":"52"}'),
    _click('{"x":nul,"jobId":"53"}'),
    _click('{"x":- 1,"jobId":"54"}'),
    _click('{"x":"\\u12G4","jobId":"55"}'),
    _click('{"x":"\x01","jobId":"56"}'),
    _click('{"jobId":"57","publisherId":"4,1,2,3,5","campaignId":8,"groupId":"9"}'),
    _click('{"jobId":"58","campaignId":8.0,"groupId":" 9"}'),
    _click("not json at all, jobId 5"),
    _click(""),
    # the kind
    {"custom_track": "", "ed": '{"customEvent":"click","jobId":"60"}', "ts": TS},
    {"custom_track": "Click", "job_id": "61", "ts": TS},
    {"custom_track": " click", "job_id": "61", "ts": TS},
    {"custom_track": "alive", "ed": '{"customEvent":"conversion","jobId":"62"}', "ts": TS},
    {"ed": '{"customEvent":1,"jobId":"63"}', "ts": TS},
    {"ed": '{"customEvent":["click"],"jobId":"63"}', "ts": TS},
    {"ed": '{"customEvent":"click","customEvent":"conversion","jobId":"64"}', "ts": TS},
    {"ed": '{"customEvent":null,"customEvent":"click","jobId":"65"}', "ts": TS},
    {"ed": '{"customEvent":"qualified","jobId":"66"}', "ts": TS},
    {"ed": '{"customEvent":"unqualified","jobId":"66"}', "ts": TS},
    {"custom_track": "conversion", "job_id": "66", "bid": "5", "ts": TS},
    # id columns, falling back to `ed`
    {"custom_track": "click", "job_id": "191", "ed": '{"jobId":"70"}', "ts": TS},
    {"custom_track": "click", "job_id": "191.0", "ed": '{"jobId":"71"}', "ts": TS},
    {"custom_track": "click", "job_id": "-3", "ed": '{"jobId":"72"}', "ts": TS},
    {"custom_track": "click", "job_id": "4,1,2", "ed": '{"jobId":"73"}', "ts": TS},
    {"custom_track": "click", "job_id": "0", "ed": '{"jobId":"74"}', "ts": TS},
    {"custom_track": "click", "job_id": "00000000001", "ed": '{"jobId":"75"}', "ts": TS},
    {"custom_track": "click", "job_id": "2147483648", "ed": '{"jobId":"76"}', "ts": TS},
    {"custom_track": "click", "job_id": "\u0663", "ed": '{"jobId":"77"}', "ts": TS},
    {"custom_track": "click", "job_id": "78\n", "ts": TS},
    {"custom_track": "click", "job_id": "79", "publisher_id": "3", "campaign_id": "x", "group_id": "",
     "ed": '{"publisherId":"4","campaignId":"5","groupId":6}', "ts": TS},
    # bids
    *({"custom_track": "click", "job_id": "80", "bid": bid, "ts": TS} for bid in (
        "12", "0.35", ".5", "12.", ".", "1.2.3", "-1", "1e3", "1.1234567", "999999999999.999999",
        "1000000000000", " 1", "0000000000001", "", "1,5", "0.000001", "0.0000009", "\uff11")),
    # event times
    *({"custom_track": "click", "job_id": "90", "bid": "1", "ts": ts} for ts in (
        "2022-07-18 07:05:11", "2022-07-18T07:05:11Z", "2022-07-18T07:05:11.5+02:00", "2022-07-18T07:05:11-0130",
        "2022-07-18T07:05:11.123456789Z", "2022-07-18T07:05:11.1234567890Z", "2022-07-18 07:05:11Z",
        "2022-07-18T07:05:11", "1658127911130", "0", "999999999999999", "1000000000000000",
        "1969-12-31 23:59:59", "1970-01-01T00:30:00+01:00", "9999-12-31 23:59:59.999", "9999-12-31T23:59:59-01:00",
        "2024-02-29 10:00:00", "2023-02-29 10:00:00", "2100-02-29 10:00:00", "2000-02-29 10:00:00",
        "2022-07-18T07:05:11+24:00", "2022-07-18T07:05:11+23:59", "2022-07-18T07:05:11-00:60",
        "2022-07-18 24:00:00", "2022-07-18 07:60:00", "2022-07-18 07:05:60", "2022-7-18 07:05:11",
        "2022-07-18 07:05:11.", "2022-07-18 07:05:11.130\n", "1658127911130\n", " 1658127911130",
        "2022-07-18T07:05:11z", "2022-07-18T07:05:11+02", "2022-07-18T07:05:11+02:0", "2022-07-18T23:30:00-05:00",
        "2022-12-31T23:59:59.999Z", "2022-07-18x07:05:11", "yesterday", "", "2022-07-18 07:05:11.9999",
    )),
]


def generate(data_dir, count, seed=1, jobs=True):
    """Generated traffic appended to the lake in `data_dir` (and the job dimension as a CSV)."""
    os.makedirs(data_dir, exist_ok=True)
    arguments = ["generate", "--count", str(count), "--seed", str(seed), "--data-dir", data_dir]
    arguments += ["--jobs-csv", f"{data_dir}/jobs.csv"] if jobs else ["--no-jobs"]
    jobpulse(*arguments)


def append_rows(lake_path, rows):
    """Appends raw rows (dicts of tracking fields; the rest empty) to a SQLite lake."""
    placeholders = ", ".join("?" * (len(TRACKING_FIELDS) + 1))
    with sqlite3.connect(lake_path) as connection:
        connection.executemany(
            f"INSERT INTO tracking (received_at, {', '.join(TRACKING_FIELDS)}) VALUES ({placeholders})",
            [(0, *(row.get(field) for field in TRACKING_FIELDS)) for row in rows],
        )


def last_position(lake_path):
    with sqlite3.connect(lake_path) as connection:
        return connection.execute("SELECT max(position) FROM tracking").fetchone()[0]


def lake_identity(lake_path):
    with sqlite3.connect(lake_path) as connection:
        return connection.execute("SELECT value FROM lake_meta WHERE name = 'identity'").fetchone()[0]
