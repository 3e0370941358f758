"""Benchmarks (``make bench``): each stage and the whole pipeline beside a naive implementation.

Every case runs in its own subprocess so its peak RSS is its own. The table gives throughput
(complaints/s), per-complaint latency p50/p99 for the end-to-end cases (received -> stored and
alerted, recorded by the index stage; see :mod:`scamtrail.bench.e2e`) and peak memory (the case's
process plus its largest child: the e2e cases run the index stage in a child process, as
``scamtrail run`` does), beside the naive implementation measured in the same run (smaller naive
sizes; the speed-up is the ratio of rates). The naive implementations are what a first attempt would do: one ``nlp()`` call per tweet
with spaCy's default textcat, ``PhoneNumberMatcher`` on every text, one store write per complaint.

Each e2e row is followed by the CPU microseconds one complaint costs each part (the ingest side,
the process stage, the index stage, and on Kafka the services' JVMs), and each e2e deployment by a
scaling table: the rate projected for 1, 2, 8 and 32 cores from those costs, beside the rates
measured here on one core (``--single-process``) and on two (see :mod:`scamtrail.bench.cpu`).

After the table: the paced replays (``--rate`` complaints/s for ``--rate-seconds``: the latency a
live tweet sees, and whether the rate was sustained), consumer lag during the Kafka run, and
memory flatness (peak RSS of e2e-embedded at N/10 and N; ``--memory 100000,1000000`` runs only
that check, at the sizes given: ``make bench-memory``).

    python -m scamtrail.bench [--n 20000] [--e2e-n 100000] [--naive-n 2000] [--rate 1000]
                              [--kafka-rate 100] [--rate-seconds 30] [--only CASES]
                              [--memory N,M] [--json FILE]

With Kafka and the search engine running (``make services``), the search-engine store and the
pipeline through Kafka + search engine are measured too.
"""
