# JobPulse image: `docker build -t jobpulse .` builds the default target, `runtime`.
# The compose file's spark profile uses two more targets: `spark-node`, the Spark image with the
# Python packages with which executors read the Cassandra lake, run by the master and the workers;
# and `spark-driver`, the same image with the binary and the job on top, so that driver and
# executors share Spark, Java, Python and those packages.

# ---------------------------------------------------------------------------------------------
# Build: the same packages and build flags as scripts/setup.sh and scripts/test.sh, in release.
FROM swift:6.3.1-bookworm AS build

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev libmariadb-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first, so that a change in Sources/ reuses the resolved checkouts.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

COPY . .
RUN swift build -c release --traits MySQL --product jobpulse

# Bundle.module looks for the resource bundles next to the executable, so they travel together.
RUN mkdir -p /staging \
    && cp .build/release/jobpulse /staging/ \
    && cp -R .build/release/*.resources /staging/

# ---------------------------------------------------------------------------------------------
# A Spark node (master, worker): Spark 4.0.1 with the DataStax Python driver (its pure Python
# build, as the tests use it) and PyArrow, which the job's Cassandra data source needs on every
# executor.
FROM apache/spark:4.0.1 AS spark-node

USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/* \
    && CASS_DRIVER_NO_EXTENSIONS=1 CASS_DRIVER_NO_CYTHON=1 \
        pip3 install --no-cache-dir cassandra-driver==3.30.1 pyarrow==26.0.1
USER spark

# ---------------------------------------------------------------------------------------------
# Driver for `jobpulse etl --engine spark`: spark-submit, Java, Python and its packages exactly as
# on the spark-master and spark-worker containers, plus the JDBC drivers from the distribution.
FROM spark-node AS spark-driver

USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libsqlite3-0 libmariadb3 libmariadb-java libxerial-sqlite-jdbc-java ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /usr/lib/swift/linux/*.so /usr/lib/swift/linux/
COPY --from=build /staging/ /opt/jobpulse/
# The PySpark job beside the binary, laid out as in the repository: it finds the SQL statements it
# shares with the Swift engine at ../Sources/Warehouse/SQL from its own folder.
COPY spark/ /opt/jobpulse/spark/
COPY Sources/Warehouse/SQL/ /opt/jobpulse/Sources/Warehouse/SQL/
ENV PATH="/opt/jobpulse:/opt/spark/bin:${PATH}"

USER spark
ENTRYPOINT ["jobpulse"]
CMD ["etl", "--engine", "spark"]

# ---------------------------------------------------------------------------------------------
# Runtime (default target): Debian slim, the two client libraries, the Swift runtime.
FROM debian:bookworm-20260803-slim AS runtime

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libsqlite3-0 libmariadb3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

# The binary's run path names /usr/lib/swift/linux, where the build image keeps the runtime.
COPY --from=build /usr/lib/swift/linux/*.so /usr/lib/swift/linux/

RUN groupadd --system jobpulse \
    && useradd --system --gid jobpulse --home-dir /var/lib/jobpulse --shell /usr/sbin/nologin jobpulse \
    && mkdir -p /var/lib/jobpulse \
    && chown jobpulse:jobpulse /var/lib/jobpulse

COPY --from=build /staging/ /opt/jobpulse/

ENV PATH="/opt/jobpulse:${PATH}" \
    JOBPULSE_DATA_DIR=/var/lib/jobpulse \
    JOBPULSE_HOST=0.0.0.0 \
    JOBPULSE_PORT=8080

VOLUME /var/lib/jobpulse
WORKDIR /var/lib/jobpulse
USER jobpulse
EXPOSE 8080

# /healthz answers 503 when the lake or the warehouse cannot be reached. Containers that run
# `etl` or `migrate` serve no HTTP; the compose file turns this check off for them.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${JOBPULSE_PORT}/healthz" > /dev/null || exit 1

ENTRYPOINT ["jobpulse"]
CMD ["serve"]
