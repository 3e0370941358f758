"""The stage runtime: the loop every consumer stage shares, the stages, and how they are run.

- ``consumer``: poll a batch, handle it, then commit; retries, isolation of poison messages,
  dead letters (:class:`ConsumerStage`);
- ``stages``: the ``process`` and ``index`` stages;
- ``ingestor``: sources onto the raw topic, and dead letters back from the DLQ;
- ``run``: ``scamtrail run``, every stage together, the index stage beside in a child process
  (``child``);
- ``health``: ``/metrics``, ``/healthz`` and ``/readyz`` of a stage process;
- ``alert_sinks``: where alerts go after the alerts topic (log, webhook);
- ``extract_file``: the offline ``scamtrail extract`` (JSONL in, enriched JSONL out);
- ``collector``: the cyclic garbage collector's pace in stage processes.
"""
